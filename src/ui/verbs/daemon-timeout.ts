import { adminOf, type Verb } from './verb.js';

export const daemonTimeout: Verb<{ timeout: number }> = {
  name: 'daemon-timeout',
  aliases: [],
  group: 'management',
  summary: 'set the auto shutdown timeout of the daemon',
  description: 'set the auto shutdown timeout of the daemon',
  // Only --timeout N works: virt-admin rejects a positional value ("unexpected data").
  options: [{ name: 'timeout', type: 'int', required: true, optionOnly: true, help: 'number of seconds the daemon will run without any active connection' }],
  changesDaemon: () => true,
  prepare: (o) => ({ timeout: o.uint('timeout')! }),
  async run(ctx, p) {
    await adminOf(ctx).setDaemonTimeout(p.timeout);
    return { text: '', json: { timeout: p.timeout } };
  },
};
