/**
 * A daemon's command line read back (daemons.md §3: libvirtd's options, which
 * every daemon of the family takes, and our --mode): where its config file is,
 * its auto-shutdown timeout, whether it listens on TCP/TLS. Read as getopt_long
 * reads them: `-f FILE`, `-fFILE`, `--config FILE`, `--config=FILE`, flags
 * combined (`-vl`), and `--` ending the options.
 */

export interface DaemonOptions {
  configFile?: string;
  timeoutSec?: number;
  pidFile?: string;
  listen: boolean;
  verbose: boolean;
  daemonize: boolean;
  mode?: 'system' | 'session';
}

const SHORT_WITH_VALUE: Readonly<Record<string, keyof DaemonOptions>> = { f: 'configFile', t: 'timeoutSec', p: 'pidFile' };
const SHORT_FLAGS: Readonly<Record<string, keyof DaemonOptions>> = { l: 'listen', v: 'verbose', d: 'daemonize' };
const LONG: Readonly<Record<string, keyof DaemonOptions>> = {
  config: 'configFile',
  timeout: 'timeoutSec',
  'pid-file': 'pidFile',
  listen: 'listen',
  verbose: 'verbose',
  daemon: 'daemonize',
  mode: 'mode',
};
const TAKES_VALUE = new Set<keyof DaemonOptions>(['configFile', 'timeoutSec', 'pidFile', 'mode']);

function assign(o: DaemonOptions, key: keyof DaemonOptions, value: string | undefined): void {
  if (key === 'timeoutSec') {
    if (value !== undefined && /^\d+$/.test(value)) o.timeoutSec = Number(value);
  } else if (key === 'mode') {
    if (value === 'system' || value === 'session') o.mode = value;
  } else if (key === 'configFile' || key === 'pidFile') {
    if (value !== undefined) o[key] = value;
  } else {
    o[key] = true;
  }
}

/** `args` is the command line after the program (and, for `virtd`, after the daemon's name). */
export function parseDaemonOptions(args: readonly string[]): DaemonOptions {
  const o: DaemonOptions = { listen: false, verbose: false, daemonize: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = LONG[a.slice(2, eq === -1 ? undefined : eq)];
      if (!key) continue;
      const value = TAKES_VALUE.has(key) ? (eq === -1 ? args[++i] : a.slice(eq + 1)) : undefined;
      assign(o, key, value);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const flag = SHORT_FLAGS[a[j]!];
        if (flag) {
          assign(o, flag, undefined);
          continue;
        }
        const key = SHORT_WITH_VALUE[a[j]!];
        if (key) assign(o, key, j + 1 < a.length ? a.slice(j + 1) : args[++i]);
        break;
      }
    }
  }
  return o;
}
