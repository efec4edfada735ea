import { formatTable } from '../cli/table.js';
import { adminOf, type Verb } from './verb.js';

export const serverList: Verb<void> = {
  name: 'server-list',
  aliases: ['srv-list'],
  group: 'monitor',
  summary: 'list available servers on a daemon',
  description: 'List all manageable servers on a daemon.',
  options: [],
  changesDaemon: () => false,
  prepare: () => undefined,
  failureLine: (_p, uri) => `failed to obtain list of available servers from ${uri}`,
  async run(ctx) {
    const servers = await adminOf(ctx).listServers();
    return {
      // Id is the position in the returned list, not a property of the server.
      text: formatTable(['Id', 'Name'], servers.map((name, i) => [String(i), name]), ctx.quiet),
      json: { servers: servers.map((name, id) => ({ id, name })) },
    };
  },
};
