import { formatKeyValues } from '../cli/table.js';
import { adminOf, type Verb } from './verb.js';

export const serverThreadpoolInfo: Verb<{ server: string }> = {
  name: 'server-threadpool-info',
  aliases: ['srv-threadpool-info'],
  group: 'monitor',
  summary: 'get server workerpool parameters',
  description: 'Retrieve threadpool attributes from a server. ',
  options: [{ name: 'server', type: 'data', required: true, help: 'Server to retrieve threadpool attributes from.' }],
  changesDaemon: () => false,
  prepare: (o) => ({ server: o.requiredString('server') }),
  failureLine: () => 'Unable to get server workerpool parameters',
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    const tp = await admin.getThreadpoolParameters(server);
    return { text: formatKeyValues(Object.entries(tp), 15), json: { server, ...tp } };
  },
};
