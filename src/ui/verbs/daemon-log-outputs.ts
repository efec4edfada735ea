import type { Verb } from './verb.js';

export const daemonLogOutputs: Verb = {
  name: 'daemon-log-outputs',
  aliases: [],
  summary: "show or set the daemon's log outputs",
  args: [{ name: 'outputs', kind: 'string' }],
  changesDaemon: false,
  failureLine: (a) => (a.outputs === undefined ? 'Unable to get daemon logging outputs information' : 'Unable to change daemon logging settings'),
  async run({ admin, quiet }, a) {
    if (a.outputs !== undefined) {
      await admin.setLoggingOutputs(String(a.outputs));
      return { text: '', json: { set: String(a.outputs) } };
    }
    const { outputs, count } = await admin.getLoggingOutputs();
    return { text: `${quiet ? '' : ' Logging outputs: '}${outputs}\n`, json: { outputs, count } };
  },
};
