import type { Verb } from './verb.js';

export const clientDisconnect: Verb = {
  name: 'client-disconnect',
  aliases: [],
  summary: 'disconnect a client from a server',
  args: [
    { name: 'server', kind: 'string', positional: true, required: true },
    { name: 'client', kind: 'uint', positional: true, required: true },
  ],
  changesDaemon: true,
  failureLine: (a) => `Failed to disconnect client '${a.client}' from server ${a.server}`,
  async run({ admin }, a) {
    const server = await admin.lookupServer(String(a.server));
    await admin.closeClient(server, Number(a.client));
    return { text: `Client '${a.client}' disconnected\n`, json: { server, id: Number(a.client), disconnected: true }, noBlankLine: true };
  },
};
