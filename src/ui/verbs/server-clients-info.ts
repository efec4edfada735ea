import { formatKeyValues } from '../cli/table.js';
import type { Verb } from './verb.js';

export const serverClientsInfo: Verb = {
  name: 'server-clients-info',
  aliases: ['srv-clients-info'],
  summary: "show a server's client limits and counts",
  args: [{ name: 'server', kind: 'string', positional: true, required: true }],
  changesDaemon: false,
  failureLine: () => "Unable to retrieve client limits from server's configuration",
  async run({ admin }, a) {
    const server = await admin.lookupServer(String(a.server));
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
