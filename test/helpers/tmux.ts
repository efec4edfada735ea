/**
 * A terminal a person would use: the real binary in a tmux pane of a given
 * size, driven by send-keys and read back by capture-pane. Each session has its
 * own tmux server socket in a temporary directory, so a test never touches the
 * operator's tmux.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until.js';

export class TmuxSession {
  readonly #dir = mkdtempSync(join(tmpdir(), 'tmux-test-'));
  readonly #socket = join(this.#dir, 'tmux.sock');

  /** Starts `command` (one shell command line) in a detached pane of width x height. */
  constructor(command: string, opts: { width?: number; height?: number } = {}) {
    this.#tmux(['new-session', '-d', '-s', 'test', '-x', String(opts.width ?? 100), '-y', String(opts.height ?? 30), command]);
    // Keep the pane after the program exits so its exit status and last screen can be read.
    this.#tmux(['set-option', '-t', 'test', 'remain-on-exit', 'on']);
  }

  #tmux(args: string[]): string {
    return execFileSync('tmux', ['-S', this.#socket, ...args], { encoding: 'utf8', env: { ...process.env, TMUX: '' }, timeout: 10000 });
  }

  /** Keys as tmux names them ('Enter', 'Escape', 'C-u', 'Tab') or literal text with `literal`. */
  send(keys: string, opts: { literal?: boolean } = {}): void {
    this.#tmux(['send-keys', '-t', 'test', ...(opts.literal ? ['-l'] : []), keys]);
  }

  type(text: string): void {
    this.send(text, { literal: true });
  }

  /** The visible screen as text, or with its colours as escape sequences. */
  screen(opts: { colours?: boolean } = {}): string {
    return this.#tmux(['capture-pane', '-p', '-t', 'test', ...(opts.colours ? ['-e'] : [])]);
  }

  format(fmt: string): string {
    return this.#tmux(['display-message', '-p', '-t', 'test', fmt]).trim();
  }

  /** Waits until the screen satisfies `test`; the error shows the last screen. */
  async waitFor(test: RegExp | ((screen: string) => boolean), message: string, timeoutMs = 10000): Promise<string> {
    let last = '';
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    try {
      await until(() => ok((last = this.screen())), { timeoutMs, intervalMs: 50, message });
    } catch (err) {
      throw new Error(`${(err as Error).message}; the screen was:\n${last}`);
    }
    return last;
  }

  close(): void {
    try {
      this.#tmux(['kill-server']);
    } catch {
      // already gone
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Quotes one word for the shell command line tmux runs. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
