import type { Verb } from './verb.js';

export const serverThreadpoolSet: Verb = {
  name: 'server-threadpool-set',
  aliases: ['srv-threadpool-set'],
  summary: "change a server's worker pool limits",
  args: [
    { name: 'server', kind: 'string', positional: true, required: true },
    { name: 'min-workers', kind: 'uint' },
    { name: 'max-workers', kind: 'uint' },
    { name: 'priority-workers', kind: 'uint' },
  ],
  changesDaemon: true,
  check(a) {
    const [min, max, prio] = [a['min-workers'], a['max-workers'], a['priority-workers']];
    if (min === undefined && max === undefined && prio === undefined) {
      // virt-admin's message, trailing space included.
      return 'At least one of options --min-workers, --max-workers, --priority-workers is mandatory ';
    }
    if (min !== undefined && max !== undefined && Number(min) > Number(max)) return '--min-workers must be less than or equal to --max-workers';
    return undefined;
  },
  failureLine: () => 'Unable to change server workerpool parameters',
  async run({ admin }, a) {
    const server = await admin.lookupServer(String(a.server));
    const limits = { minWorkers: a['min-workers'] as number | undefined, maxWorkers: a['max-workers'] as number | undefined, prioWorkers: a['priority-workers'] as number | undefined };
    await admin.setThreadpoolParameters(server, limits);
    return { text: '', json: { server, set: limits } };
  },
};
