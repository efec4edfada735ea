/**
 * A POSIX shell on the remote host, at the other end of the ssh connection's
 * own session: scripts go in on its stdin, replies come back on its stdout,
 * in order, so many may be in flight at once (one round trip for a batch).
 * Each reply is framed by a random marker the script cannot guess:
 *
 *   <marker> begin\n  <output, any bytes>  \n<marker> <exit status>\n
 *
 * Anything before the first `begin` (a chatty login script) is dropped. Every
 * script reads /dev/null, so nothing it runs can eat the scripts queued behind it.
 */
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

export interface ShellReply {
  status: number;
  output: Buffer;
}

/** Single-quoted for sh: any byte but NUL survives. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Cuts the shell's stdout into replies, for markers expected in order (a pure push machine). */
export class ShellReplyReader {
  #buffer: Buffer = Buffer.alloc(0);
  readonly #markers: string[] = [];
  #begun = false;

  expect(marker: string): void {
    this.#markers.push(marker);
  }

  push(chunk: Buffer): ShellReply[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const replies: ShellReply[] = [];
    for (let reply = this.#next(); reply; reply = this.#next()) replies.push(reply);
    return replies;
  }

  #next(): ShellReply | undefined {
    const marker = this.#markers[0];
    if (marker === undefined) return undefined;
    if (!this.#begun) {
      const begin = Buffer.from(`${marker} begin\n`);
      const at = this.#buffer.indexOf(begin);
      if (at === -1) return undefined;
      this.#buffer = this.#buffer.subarray(at + begin.length);
      this.#begun = true;
    }
    const end = Buffer.from(`\n${marker} `);
    // The trailer is the marker, a space, digits and a newline; anything else is output.
    for (let at = this.#buffer.indexOf(end); at !== -1; at = this.#buffer.indexOf(end, at + 1)) {
      const after = this.#buffer.subarray(at + end.length, at + end.length + 12).toString('latin1');
      const digits = /^(\d+)(\n)?/.exec(after);
      if (!digits) {
        if (after === '') return undefined; // the status is still arriving
        continue;
      }
      if (!digits[2]) {
        if (digits[0].length === after.length) return undefined; // still arriving
        continue;
      }
      const output = Buffer.from(this.#buffer.subarray(0, at));
      this.#buffer = this.#buffer.subarray(at + end.length + digits[0].length);
      this.#markers.shift();
      this.#begun = false;
      return { status: Number(digits[1]), output };
    }
    return undefined;
  }
}

export class RemoteShell {
  readonly #stdin: Writable;
  readonly #reader = new ShellReplyReader();
  readonly #pending: { resolve: (r: ShellReply) => void; reject: (e: Error) => void }[] = [];
  #failed: Error | undefined;

  constructor(stdin: Writable, stdout: Readable) {
    this.#stdin = stdin;
    // A write after the remote end went away fails here; the owner learns it from the process.
    stdin.on('error', () => {});
    stdout.on('data', (chunk: Buffer) => {
      for (const reply of this.#reader.push(chunk)) this.#pending.shift()?.resolve(reply);
    });
  }

  /** Runs `script` (sh syntax, one or more lines) and resolves with its output and exit status. */
  run(script: string): Promise<ShellReply> {
    if (this.#failed) return Promise.reject(this.#failed);
    const marker = `vat-${randomBytes(8).toString('hex')}`;
    this.#reader.expect(marker);
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#stdin.write(`printf '%s begin\\n' ${marker}; { ${script.trim() === '' ? ':' : script}\n} </dev/null 2>/dev/null; printf '\\n%s %d\\n' ${marker} "$?"\n`);
    });
  }

  /** The shell is gone: every script waiting and every later one fails with `reason`. */
  fail(reason: Error): void {
    if (this.#failed) return;
    this.#failed = reason;
    for (const p of this.#pending.splice(0)) p.reject(reason);
  }
}
