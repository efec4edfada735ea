import { adminOf, type Verb } from './verb.js';

export const daemonLogFilters: Verb<{ filters: string | undefined }> = {
  name: 'daemon-log-filters',
  aliases: [],
  group: 'management',
  summary: 'fetch or set the currently defined set of logging filters on daemon',
  description: 'Depending on whether run with or without options, the command fetches or redefines the existing active set of filters on daemon.',
  options: [{ name: 'filters', type: 'string', emptyOk: true, help: 'redefine the existing set of logging filters' }],
  changesDaemon: (raw) => raw.filters !== undefined,
  prepare: (o) => ({ filters: o.string('filters') }),
  failureLine: (p) => (p.filters === undefined ? 'Unable to get daemon logging filters information' : 'Unable to change daemon logging settings'),
  async run(ctx, p) {
    const admin = adminOf(ctx);
    if (p.filters !== undefined) {
      await admin.setLoggingFilters(p.filters);
      return { text: '', json: { set: p.filters } };
    }
    const { filters, count } = await admin.getLoggingFilters();
    // The label is virt-admin's "extra" output: dropped under -q.
    return { text: `${ctx.quiet ? '' : ' Logging filters: '}${filters ?? ''}\n`, json: { filters, count } };
  },
};
