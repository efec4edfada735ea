import { formatTable } from '../cli/table.js';
import type { Verb } from './verb.js';

export const serverList: Verb = {
  name: 'server-list',
  aliases: ['srv-list'],
  summary: "list the daemon's servers",
  args: [],
  changesDaemon: false,
  failureLine: (_a, uri) => `failed to obtain list of available servers from ${uri}`,
  async run({ admin, quiet }) {
    const servers = await admin.listServers();
    return {
      // Id is the position in the returned list, not a property of the server.
      text: formatTable(['Id', 'Name'], servers.map((name, i) => [String(i), name]), quiet),
      json: { servers: servers.map((name, id) => ({ id, name })) },
    };
  },
};
