import type { Verb } from './verb.js';

export const serverUpdateTls: Verb = {
  name: 'server-update-tls',
  aliases: ['srv-update-tls'],
  summary: "reload a server's TLS certificates and keys",
  args: [{ name: 'server', kind: 'string', positional: true, required: true }],
  changesDaemon: true,
  failureLine: () => "Unable to update server's tls related files.",
  async run({ admin }, a) {
    const server = await admin.lookupServer(String(a.server));
    await admin.updateTlsFiles(server);
    return { text: 'update tls related files succeed\n', json: { server, updated: true } };
  },
};
