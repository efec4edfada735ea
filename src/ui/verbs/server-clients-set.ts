import type { Verb } from './verb.js';

export const serverClientsSet: Verb = {
  name: 'server-clients-set',
  aliases: ['srv-clients-set'],
  summary: "change a server's client limits",
  args: [
    { name: 'server', kind: 'string', positional: true, required: true },
    { name: 'max-clients', kind: 'uint' },
    { name: 'max-unauth-clients', kind: 'uint' },
  ],
  changesDaemon: true,
  check(a) {
    const [max, unauth] = [a['max-clients'], a['max-unauth-clients']];
    if (max === undefined && unauth === undefined) return 'At least one of options --max-clients, --max-unauth-clients is mandatory';
    if (max !== undefined && unauth !== undefined && Number(unauth) > Number(max)) return '--max-unauth-clients must be less than or equal to --max-clients';
    return undefined;
  },
  failureLine: () => "Unable to change server's client-related configuration limits",
  async run({ admin }, a) {
    const server = await admin.lookupServer(String(a.server));
    const limits = { maxClients: a['max-clients'] as number | undefined, maxUnauthClients: a['max-unauth-clients'] as number | undefined };
    await admin.setClientLimits(server, limits);
    return { text: '', json: { server, set: limits } };
  },
};
