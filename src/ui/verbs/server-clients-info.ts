import { formatKeyValues } from '../cli/table.js';
import { adminOf, type Verb } from './verb.js';

export const serverClientsInfo: Verb<{ server: string }> = {
  name: 'server-clients-info',
  aliases: ['srv-clients-info'],
  group: 'monitor',
  summary: "get server's client-related configuration limits",
  description: "Retrieve server's client-related configuration limits ",
  options: [{ name: 'server', type: 'data', required: true, help: 'Server to retrieve the client limits from.' }],
  changesDaemon: () => false,
  prepare: (o) => ({ server: o.requiredString('server') }),
  failureLine: () => "Unable to retrieve client limits from server's configuration",
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    const l = await admin.getClientLimits(server);
    const pairs: [string, number][] = [
      ['nclients_max', l.nclientsMax],
      ['nclients', l.nclients],
      ['nclients_unauth_max', l.nclientsUnauthMax],
      ['nclients_unauth', l.nclientsUnauth],
    ];
    return { text: formatKeyValues(pairs, 20), json: { server, ...l } };
  },
};
