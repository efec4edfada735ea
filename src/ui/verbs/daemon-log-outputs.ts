import { adminOf, type Verb } from './verb.js';

export const daemonLogOutputs: Verb<{ outputs: string | undefined }> = {
  name: 'daemon-log-outputs',
  aliases: [],
  group: 'management',
  summary: 'fetch or set the currently defined set of logging outputs on daemon',
  description: 'Depending on whether run with or without options, the command fetches or redefines the existing active set of outputs on daemon.',
  options: [{ name: 'outputs', type: 'string', emptyOk: true, help: 'redefine the existing set of logging outputs' }],
  changesDaemon: (raw) => raw.outputs !== undefined,
  prepare: (o) => ({ outputs: o.string('outputs') }),
  failureLine: (p) => (p.outputs === undefined ? 'Unable to get daemon logging outputs information' : 'Unable to change daemon logging settings'),
  async run(ctx, p) {
    const admin = adminOf(ctx);
    if (p.outputs !== undefined) {
      await admin.setLoggingOutputs(p.outputs);
      return { text: '', json: { set: p.outputs } };
    }
    const { outputs, count } = await admin.getLoggingOutputs();
    return { text: `${ctx.quiet ? '' : ' Logging outputs: '}${outputs}\n`, json: { outputs, count } };
  },
};
