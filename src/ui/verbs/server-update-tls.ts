import { adminOf, type Verb } from './verb.js';

export const serverUpdateTls: Verb<{ server: string }> = {
  name: 'server-update-tls',
  aliases: ['srv-update-tls'],
  group: 'management',
  summary: 'notify server to update TLS related files online.',
  description: 'notify server to update the CA cert, CA CRL, server cert / key without restarts. See OPTIONS for currently supported attributes.',
  options: [{ name: 'server', type: 'data', required: true, help: "Available servers on a daemon. Currently only supports 'libvirtd' or 'virtproxyd'." }],
  changesDaemon: () => true,
  prepare: (o) => ({ server: o.requiredString('server') }),
  failureLine: () => "Unable to update server's tls related files.",
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    await admin.updateTlsFiles(server);
    return { text: 'update tls related files succeed\n', json: { server, updated: true } };
  },
};
