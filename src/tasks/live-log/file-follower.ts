/**
 * Follows a log file on a daemon's host (tail -F, through Host): new lines as
 * they are written, a rotated file (new inode) or a truncated one started from
 * its beginning. Bounded: each look reads at most `maxBytes`; a file that grew
 * faster than that is skipped ahead, and the skip is said.
 */
import type { Host } from '../../admin-client/index.js';

export interface FollowerEvents {
  lines(lines: string[]): void;
  /** Something the reader should know: a rotation, a skip, the file gone or unreadable. */
  note(text: string): void;
}

export class FileFollower {
  #offset = 0;
  #ino: number | undefined;
  #partial = '';
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #missing = false;

  constructor(
    private readonly host: Host,
    readonly path: string,
    private readonly events: FollowerEvents,
    private readonly opts: { intervalMs?: number; maxBytes?: number; fromEnd?: number } = {},
  ) {}

  /** Starts `fromEnd` bytes before the end (whole lines from there), then follows. */
  async start(): Promise<void> {
    const st = await this.host.statFile(this.path);
    if (!st) throw new Error(`${this.path} is not there on ${this.host.name}`);
    this.#ino = st.ino;
    this.#offset = Math.max(0, st.size - (this.opts.fromEnd ?? 8192));
    // Reading it at once proves it readable.
    await this.#read(st.size, this.#offset > 0);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#look().finally(() => this.#schedule()), this.opts.intervalMs ?? 200);
    this.#timer.unref();
  }

  async #look(): Promise<void> {
    const st = await this.host.statFile(this.path);
    if (!st) {
      if (!this.#missing) this.events.note(`${this.path} is gone; waiting for it to come back`);
      this.#missing = true;
      return;
    }
    if (this.#missing || st.ino !== this.#ino || st.size < this.#offset) {
      if (!this.#missing) this.events.note(st.ino !== this.#ino ? `${this.path} was rotated: following the new file` : `${this.path} was truncated: following from its start`);
      this.#missing = false;
      this.#ino = st.ino;
      this.#offset = 0;
      this.#partial = '';
    }
    if (st.size > this.#offset) await this.#read(st.size, false).catch((err: Error) => this.events.note(`cannot read ${this.path}: ${err.message}`));
  }

  async #read(size: number, dropFirstLine: boolean): Promise<void> {
    const max = this.opts.maxBytes ?? 256 * 1024;
    if (size - this.#offset > max) {
      this.events.note(`${size - this.#offset - max} bytes of ${this.path} skipped: it grew faster than they can be shown`);
      this.#offset = size - max;
      this.#partial = '';
      dropFirstLine = true;
    }
    const chunk = await this.host.readFile(this.path, { start: this.#offset, maxBytes: size - this.#offset });
    this.#offset += chunk.length;
    const text = this.#partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    if (dropFirstLine) parts.shift();
    if (parts.length) this.events.lines(parts);
  }
}
