import { formatTypedParamValue } from '../../rpc/index.js';
import { formatLocalTime } from '../cli/local-time.js';
import { formatKeyValues } from '../cli/table.js';
import { clientIdentityJson } from './client-json.js';
import { adminOf, type Verb } from './verb.js';

export const clientInfo: Verb<{ server: string; client: bigint }> = {
  name: 'client-info',
  aliases: [],
  group: 'monitor',
  summary: "retrieve client's identity info from server",
  description: 'Retrieve identity details about <client> from <server>',
  options: [
    { name: 'server', type: 'data', required: true, help: 'server to which <client> is connected to' },
    { name: 'client', type: 'data', required: true, help: 'client which to retrieve identity information for' },
  ],
  changesDaemon: () => false,
  prepare: (o) => ({ server: o.requiredString('server'), client: o.ullong('client')! }),
  failureLine: (p) => `failed to retrieve client identity information for client '${p.client}' connected to server '${p.server}'`,
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    const info = await admin.getClientInfo(server, p.client);
    const pairs: [string, string | number][] = [
      ['id', info.id],
      ['connection_time', formatLocalTime(info.connectedAt)],
      ['transport', info.transport],
      ...info.params.map((p): [string, string] => [p.field, formatTypedParamValue(p)]),
    ];
    return { text: formatKeyValues(pairs, 15), json: { server, ...(await clientIdentityJson(info, admin.files)) } };
  },
};
