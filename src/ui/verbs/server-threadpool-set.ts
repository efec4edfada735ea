import { OptionError } from './option-values.js';
import { adminOf, type Verb } from './verb.js';

export interface ThreadpoolChange {
  server: string;
  minWorkers?: number;
  maxWorkers?: number;
  prioWorkers?: number;
}

export const serverThreadpoolSet: Verb<ThreadpoolChange> = {
  name: 'server-threadpool-set',
  aliases: ['srv-threadpool-set'],
  group: 'management',
  summary: 'set server workerpool parameters',
  description: 'Tune threadpool attributes on a server. See OPTIONS for currently supported attributes.',
  options: [
    { name: 'server', type: 'data', required: true, help: 'Server to alter threadpool attributes on.' },
    { name: 'min-workers', type: 'int', help: 'Change bottom limit to number of workers.' },
    { name: 'max-workers', type: 'int', help: 'Change upper limit to number of workers.' },
    { name: 'priority-workers', type: 'int', help: 'Change the current number of priority workers' },
  ],
  changesDaemon: () => true,
  prepare(o) {
    const server = o.requiredString('server');
    // virt-admin reads max before min before priority: that order picks the first error.
    const maxWorkers = o.uintParameter('max-workers');
    const minWorkers = o.uintParameter('min-workers');
    const prioWorkers = o.uintParameter('priority-workers');
    if (minWorkers === undefined && maxWorkers === undefined && prioWorkers === undefined) {
      // virt-admin's message, trailing space included.
      throw new OptionError(['At least one of options --min-workers, --max-workers, --priority-workers is mandatory ']);
    }
    if (minWorkers !== undefined && maxWorkers !== undefined && minWorkers > maxWorkers) {
      throw new OptionError(['--min-workers must be less than or equal to --max-workers']);
    }
    return { server, minWorkers, maxWorkers, prioWorkers };
  },
  failureLine: () => 'Unable to change server workerpool parameters',
  async run(ctx, p) {
    const admin = adminOf(ctx);
    const server = await admin.lookupServer(p.server);
    const limits = { minWorkers: p.minWorkers, maxWorkers: p.maxWorkers, prioWorkers: p.prioWorkers };
    await admin.setThreadpoolParameters(server, limits);
    return { text: '', json: { server, set: limits } };
  },
};
