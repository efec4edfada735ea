import { fetchIdentities } from '../../admin-client/index.js';
import { formatLocalTime } from '../cli/local-time.js';
import { formatTable } from '../cli/table.js';
import { clientIdentityJson, clientJson } from './client-json.js';
import { adminOf, type Verb } from './verb.js';

export const clientList: Verb<{ server: string }> = {
  name: 'client-list',
  aliases: ['srv-clients-list'],
  group: 'monitor',
  summary: 'list clients connected to <server>',
  description: 'List all manageable clients connected to <server>.',
  options: [{ name: 'server', type: 'data', required: true, help: 'server which to list connected clients from' }],
  changesDaemon: () => false,
  prepare: (o) => ({ server: o.requiredString('server') }),
  failureLine: (p) => `failed to obtain list of connected clients from server '${p.server}'`,
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    const clients = await admin.listClients(server);
    const text = formatTable(['Id', 'Transport', 'Connected since'], clients.map((c) => [String(c.id), c.transport, formatLocalTime(c.connectedAt)]), ctx.quiet);
    if (!ctx.json) return { text, json: undefined };
    // --json carries who each client is: one client-info call per client, a few at a time.
    const identities = await fetchIdentities(admin, clients);
    const rows = await Promise.all(
      clients.map(async (c) => {
        const r = identities.get(c.id);
        if (r && 'info' in r) return clientIdentityJson(r.info, admin.files);
        return { ...clientJson(c), identityError: r ? r.error.message : 'not fetched' };
      }),
    );
    return { text, json: { server, clients: rows } };
  },
};
