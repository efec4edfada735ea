/**
 * The real virt-admin-tui in a tmux pane, run as the daemon's user (a session
 * daemon admits no other uid), in a shell that reports how it exited and the
 * terminal modes it left. CI is not passed on: under CI=true Ink draws nothing
 * until exit (DESIGN.md, "A trap worth knowing").
 */
import type { DaemonUnderTest } from './daemon-under-test.js';
import { asUser, TUI_BIN } from './tools.js';
import { shellQuote, TmuxSession } from './tmux.js';

export interface PaneOptions {
  width?: number;
  height?: number;
  /** Seconds between polls. */
  interval?: number;
  /** The binary to run (a test may point it at another build). */
  bin?: string;
  /** More of the console's options (e.g. --restore). */
  args?: string[];
  /** More environment for the console (e.g. XDG_STATE_HOME). */
  env?: Record<string, string>;
}

export function consoleCommand(d: DaemonUnderTest, opts: PaneOptions = {}): string {
  const extra = (opts.args ?? []).map(shellQuote).join(' ');
  const script = `${shellQuote(process.execPath)} ${shellQuote(opts.bin ?? TUI_BIN)} -c ${shellQuote(d.adminUri)} --interval ${opts.interval ?? 0.5} ${extra}; echo "console exited $?"; stty -a; exec sleep 600`;
  const [file, argv] = asUser('sh', ['-c', script], d.user, { ...d.env, ...opts.env, TERM: 'xterm-256color' });
  return [file, ...argv].map(shellQuote).join(' ');
}

export function startConsolePane(d: DaemonUnderTest, opts: PaneOptions = {}): TmuxSession {
  return new TmuxSession(consoleCommand(d, opts), { width: opts.width ?? 100, height: opts.height ?? 30 });
}
