import type { Verb } from './verb.js';

export const daemonTimeout: Verb = {
  name: 'daemon-timeout',
  aliases: [],
  summary: "set the daemon's auto-shutdown timeout in seconds (0 disables)",
  // Only --timeout N works: virt-admin rejects a positional value ("unexpected data").
  args: [{ name: 'timeout', kind: 'uint', required: true }],
  changesDaemon: true,
  async run({ admin }, a) {
    await admin.setDaemonTimeout(Number(a.timeout));
    return { text: '', json: { timeout: Number(a.timeout) } };
  },
};
