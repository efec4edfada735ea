import { OptionError } from './option-values.js';
import { adminOf, type Verb } from './verb.js';

export interface ClientLimitsChange {
  server: string;
  maxClients?: number;
  maxUnauthClients?: number;
}

export const serverClientsSet: Verb<ClientLimitsChange> = {
  name: 'server-clients-set',
  aliases: ['srv-clients-set'],
  group: 'management',
  summary: "set server's client-related configuration limits",
  description: "Tune server's client-related configuration limits. See OPTIONS for currently supported attributes.",
  options: [
    { name: 'server', type: 'data', required: true, help: 'Server to alter the client-related configuration limits on.' },
    { name: 'max-clients', type: 'int', help: 'Change the upper limit to overall number of clients connected to the server.' },
    { name: 'max-unauth-clients', type: 'int', help: 'Change the upper limit to number of clients waiting for authentication to be connected to the server' },
  ],
  changesDaemon: () => true,
  prepare(o) {
    const server = o.requiredString('server');
    const maxClients = o.uintParameter('max-clients');
    const maxUnauthClients = o.uintParameter('max-unauth-clients');
    if (maxClients === undefined && maxUnauthClients === undefined) throw new OptionError(['At least one of options --max-clients, --max-unauth-clients is mandatory']);
    if (maxClients !== undefined && maxUnauthClients !== undefined && maxUnauthClients > maxClients) {
      throw new OptionError(['--max-unauth-clients must be less than or equal to --max-clients']);
    }
    return { server, maxClients, maxUnauthClients };
  },
  failureLine: () => "Unable to change server's client-related configuration limits",
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    const limits = { maxClients: p.maxClients, maxUnauthClients: p.maxUnauthClients };
    await admin.setClientLimits(server, limits);
    return { text: '', json: { server, set: limits } };
  },
};
