/**
 * The real console on a pseudo-terminal (util-linux `script`) at 100x30, run
 * as a daemon's user, with its output collected and waited on: what the
 * console benchmarks measure against.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { asUser, TUI_BIN } from '../test/helpers/tools.js';
import { shellQuote } from '../test/helpers/tmux.js';

export class ConsoleOnPty {
  readonly #tui: ChildProcessWithoutNullStreams;
  /** Output since the last `clear()`. */
  screen = '';
  #onOutput: (() => void) | undefined;

  /**
   * `extra`: more arguments for the console (e.g. --system-socket-dir DIR); BENCH_CONSOLE_NODE_ARGS
   * adds Node's own (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to see where the time goes).
   */
  constructor(d: { adminUri: string; user: string | undefined; env: Record<string, string> }, extra: string[] = []) {
    const nodeArgs = (process.env.BENCH_CONSOLE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const line = `stty rows 30 cols 100; exec ${[process.execPath, ...nodeArgs, TUI_BIN, '-c', d.adminUri, ...extra].map(shellQuote).join(' ')}`;
    const [cmd, args] = asUser('script', ['-qfec', line, '/dev/null'], d.user, { ...d.env, TERM: 'xterm-256color' });
    // script's own stderr carries only its notices ("Session terminated"); the console draws on the pty.
    this.#tui = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] }) as unknown as ChildProcessWithoutNullStreams;
    this.#tui.stdout.setEncoding('utf8').on('data', (s: string) => {
      this.screen = (this.screen + s).slice(-65536);
      this.#onOutput?.();
    });
  }

  /** The console's own process (script's child, which exec'd node). */
  consolePid(): number | undefined {
    const parent = this.#tui.pid;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[1]) === parent && stat.includes('(node)')) return Number(name);
      } catch {
        // gone meanwhile
      }
    }
    return undefined;
  }

  press(keys: string): void {
    this.#tui.stdin.write(keys);
  }

  clear(): void {
    this.screen = '';
  }

  waitFor(ok: () => boolean, what: string, timeoutMs = 30000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`console: timed out waiting for ${what}; last output:\n${this.screen.slice(-2000)}`)), timeoutMs);
      this.#onOutput = () => {
        if (!ok()) return;
        clearTimeout(timer);
        this.#onOutput = undefined;
        resolve();
      };
      this.#onOutput();
    });
  }

  async quit(): Promise<void> {
    const exited = new Promise((r) => this.#tui.once('exit', r));
    this.press('q');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (this.#tui.exitCode === null) this.#tui.kill();
  }
}
