import { formatKeyValues } from '../cli/table.js';
import type { Verb } from './verb.js';

export const serverThreadpoolInfo: Verb = {
  name: 'server-threadpool-info',
  aliases: ['srv-threadpool-info'],
  summary: "show a server's worker pool",
  args: [{ name: 'server', kind: 'string', positional: true, required: true }],
  changesDaemon: false,
  failureLine: () => 'Unable to get server workerpool parameters',
  async run({ admin }, a) {
    const server = await admin.lookupServer(String(a.server));
    const tp = await admin.getThreadpoolParameters(server);
    return { text: formatKeyValues(Object.entries(tp), 15), json: { server, ...tp } };
  },
};
