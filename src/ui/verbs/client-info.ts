import { formatTypedParamValue } from '../../rpc/index.js';
import { formatLocalTime } from '../cli/local-time.js';
import { formatKeyValues } from '../cli/table.js';
import type { Verb } from './verb.js';

export const clientInfo: Verb = {
  name: 'client-info',
  aliases: [],
  summary: "show a client's identity and connection",
  args: [
    { name: 'server', kind: 'string', positional: true, required: true },
    { name: 'client', kind: 'uint', positional: true, required: true },
  ],
  changesDaemon: false,
  failureLine: (a) => `failed to retrieve client identity information for client '${a.client}' connected to server '${a.server}'`,
  async run({ admin }, a) {
    const server = await admin.lookupServer(String(a.server));
    const info = await admin.getClientInfo(server, Number(a.client));
    const pairs: [string, string | number][] = [
      ['id', info.id],
      ['connection_time', formatLocalTime(info.connectedAt)],
      ['transport', info.transport],
      ...info.params.map((p): [string, string] => [p.field, formatTypedParamValue(p)]),
    ];
    const json = Object.fromEntries(info.params.map((p) => [p.field, typeof p.value === 'bigint' ? p.value.toString() : p.value]));
    return { text: formatKeyValues(pairs, 15), json: { server, id: info.id, connectedAt: info.connectedAt, transport: info.transport, ...json } };
  },
};
