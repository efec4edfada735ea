import { jsonId } from './client-json.js';
import { adminOf, type Verb } from './verb.js';

export const clientDisconnect: Verb<{ server: string; client: bigint }> = {
  name: 'client-disconnect',
  aliases: [],
  group: 'management',
  summary: 'force disconnect a client from the given server',
  description: "Force close a specific client's connection to the given server.",
  options: [
    { name: 'server', type: 'data', required: true, help: 'server which the client is currently connected to' },
    { name: 'client', type: 'int', required: true, help: 'client which to disconnect, specified by ID' },
  ],
  changesDaemon: () => true,
  prepare: (o) => ({ server: o.requiredString('server'), client: o.ullongWrapped('client')! }),
  failureLine: (p) => `Failed to disconnect client '${p.client}' from server ${p.server}`,
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    await admin.closeClient(server, p.client);
    return { text: `Client '${p.client}' disconnected\n`, json: { server, id: jsonId(p.client), disconnected: true }, noBlankLine: true };
  },
};
