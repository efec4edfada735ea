/**
 * A check of libvirt's log filter and output syntax before anything is sent,
 * so a typo is caught at the prompt. The daemon remains the judge: whatever
 * passes here and fails there is shown with the daemon's own error. (The ui
 * layer may not import the daemon's parser; this is the operator-side check.)
 */
const PRIORITY = /^\+?[1-4]$/;

export function checkLogFilters(text: string): string | undefined {
  for (const item of text.split(' ').filter(Boolean)) {
    const colon = item.indexOf(':');
    if (colon === -1) return `Malformed format for filter '${item}'`;
    if (!PRIORITY.test(item.slice(0, colon))) return `Invalid priority '${item.slice(0, colon)}' for filter '${item}'`;
    if (item.slice(colon + 1).replace(/^\+/, '') === '') return `Invalid match string '' in filter '${item}'`;
  }
  return undefined;
}

export function checkLogOutputs(text: string): string | undefined {
  for (const item of text.split(' ').filter(Boolean)) {
    const [prio, dest, ...rest] = item.split(':');
    if (dest === undefined) return `Malformed format for log output '${item}'`;
    if (!PRIORITY.test(prio!)) return `Invalid log priority '${prio}' for log output '${item}'`;
    const needsName = dest === 'file' || dest === 'syslog';
    if (!['stderr', 'journald', 'file', 'syslog'].includes(dest)) return `Invalid log destination '${dest}' for log output '${item}'`;
    if (needsName !== (rest.join(':') !== '')) return `Log output '${item}' does not meet the format requirements for destination type '${dest}'`;
    // libvirt accepts a relative file and opens it from the daemon's working directory ('/' for a
    // system daemon): the log would land somewhere nobody looks.
    if (dest === 'file' && !rest.join(':').startsWith('/')) return `Log output '${item}': the file must be an absolute path (the daemon would open it relative to its own working directory)`;
  }
  return undefined;
}
