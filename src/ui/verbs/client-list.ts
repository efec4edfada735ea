import { formatLocalTime } from '../cli/local-time.js';
import { formatTable } from '../cli/table.js';
import type { Verb } from './verb.js';

export const clientList: Verb = {
  name: 'client-list',
  aliases: ['srv-clients-list'],
  summary: "list a server's connected clients",
  args: [{ name: 'server', kind: 'string', positional: true, required: true }],
  changesDaemon: false,
  failureLine: (a) => `failed to obtain list of connected clients from server '${a.server}'`,
  async run({ admin, quiet }, a) {
    const server = await admin.lookupServer(String(a.server));
    const clients = await admin.listClients(server);
    return {
      text: formatTable(['Id', 'Transport', 'Connected since'], clients.map((c) => [String(c.id), c.transport, formatLocalTime(c.connectedAt)]), quiet),
      json: { server, clients: clients.map((c) => ({ id: c.id, transport: c.transport, connectedAt: c.connectedAt })) },
    };
  },
};
