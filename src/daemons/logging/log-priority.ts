/** libvirt's log priorities (daemons.md §9): 1 debug, 2 info, 3 warning, 4 error. */
export const LogPriority = { Debug: 1, Info: 2, Warning: 3, Error: 4 } as const;
export type LogPriority = (typeof LogPriority)[keyof typeof LogPriority];

export const PRIORITY_NAMES: Readonly<Record<LogPriority, string>> = {
  1: 'debug',
  2: 'info',
  3: 'warning',
  4: 'error',
};

/** The built-in default priority when neither config nor environment sets one. */
export const DEFAULT_PRIORITY: LogPriority = LogPriority.Warning;

/**
 * Parses a priority the way libvirt does, with strtoul: optional leading white space and
 * sign are accepted (so "+2" is 2), the whole text must be digits after that, and the
 * value must be 1-4. Returns undefined when it is not a valid priority.
 */
export function parsePriority(text: string): LogPriority | undefined {
  const m = /^[ \t\n\v\f\r]*\+?([0-9]+)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= 4 ? (n as LogPriority) : undefined;
}
