import type { Verb } from './verb.js';

export const daemonLogFilters: Verb = {
  name: 'daemon-log-filters',
  aliases: [],
  summary: "show or set the daemon's log filters",
  args: [{ name: 'filters', kind: 'string' }],
  changesDaemon: false, // only when --filters is given; see changesWith()
  failureLine: (a) => (a.filters === undefined ? 'Unable to get daemon logging filters information' : 'Unable to change daemon logging settings'),
  async run({ admin, quiet }, a) {
    if (a.filters !== undefined) {
      await admin.setLoggingFilters(String(a.filters));
      return { text: '', json: { set: String(a.filters) } };
    }
    const { filters, count } = await admin.getLoggingFilters();
    // The label is virt-admin's "extra" output: dropped under -q.
    return { text: `${quiet ? '' : ' Logging filters: '}${filters ?? ''}\n`, json: { filters, count } };
  },
};
