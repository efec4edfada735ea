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

/** The pino level each libvirt priority logs at (pino's own names and numbers). */
export const PINO_LEVEL: Readonly<Record<LogPriority, 'debug' | 'info' | 'warn' | 'error'>> = {
  1: 'debug',
  2: 'info',
  3: 'warn',
  4: 'error',
};

/** pino's level numbers back to libvirt priorities: 20 debug, 30 info, 40 warn, 50 error. */
export function priorityOfPinoLevel(level: number): LogPriority {
  if (level <= 20) return LogPriority.Debug;
  if (level <= 30) return LogPriority.Info;
  if (level <= 40) return LogPriority.Warning;
  return LogPriority.Error;
}

/** syslog severities (and journald's PRIORITY) for libvirt priorities: debug 7, info 6, warning 4, error 3. */
export const SYSLOG_SEVERITY: Readonly<Record<LogPriority, number>> = { 1: 7, 2: 6, 3: 4, 4: 3 };
