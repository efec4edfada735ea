/**
 * Where log lines go. stderr and files are written synchronously so a line
 * logged just before exit is never lost. journald and syslog are reached
 * through the system's own `systemd-cat` and `logger` (Node has no UNIX
 * datagram sockets), each started once and fed one line per message with
 * its priority prefix; if the tool is missing the sink is silent rather than
 * crashing the daemon.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { systemError } from '../../rpc/index.js';
import type { LogPriority } from './log-priority.js';
import type { LogOutput } from './log-outputs.js';

export interface LogSink {
  write(line: string, priority: LogPriority): void;
  close(): void;
}

/** syslog severities for libvirt priorities: debug 7, info 6, warning 4, error 3. */
const SYSLOG_SEVERITY: Readonly<Record<LogPriority, number>> = { 1: 7, 2: 6, 3: 4, 4: 3 };

class FdSink implements LogSink {
  constructor(
    private readonly fd: number,
    private readonly owned: boolean,
  ) {}
  write(line: string): void {
    try {
      writeSync(this.fd, line);
    } catch {
      // A full disk or closed stderr must not take the daemon down with it.
    }
  }
  close(): void {
    if (this.owned) closeSync(this.fd);
  }
}

class PipeSink implements LogSink {
  #child: ChildProcess | undefined;
  constructor(private readonly command: string, private readonly args: string[]) {}
  write(line: string, priority: LogPriority): void {
    if (!this.#child) {
      this.#child = spawn(this.command, this.args, { stdio: ['pipe', 'ignore', 'ignore'] });
      this.#child.on('error', () => {}); // tool missing: the sink stays silent
      this.#child.stdin?.on('error', () => {});
      this.#child.unref();
      (this.#child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    }
    // Strip the timestamp/pid prefix: journald and syslog stamp their own.
    this.#child.stdin?.write(`<${SYSLOG_SEVERITY[priority]}>${line.replace(/^[^:]*:[^:]*:[^:]*: \d+: /, '')}`);
  }
  close(): void {
    this.#child?.stdin?.end();
  }
}

/** Opens the sink of an output. A file that cannot be opened is libvirt's system error. */
export function openSink(output: LogOutput, ident: string): LogSink {
  switch (output.destination) {
    case 'stderr':
      return new FdSink(2, false);
    case 'file': {
      const path = output.name!;
      try {
        return new FdSink(openSync(path, 'a', 0o600), true);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw systemError(0, `failed to open ${path}: ${describeErrno(e)}`, errnoNumber(e));
      }
    }
    case 'journald':
      return new PipeSink('systemd-cat', ['--identifier', ident, '--level-prefix=true']);
    case 'syslog':
      return new PipeSink('logger', ['--prio-prefix', '-t', output.name ?? ident]);
  }
}

const ERRNO_TEXT: Readonly<Record<string, [number, string]>> = {
  ENOENT: [2, 'No such file or directory'],
  EACCES: [13, 'Permission denied'],
  EISDIR: [21, 'Is a directory'],
  ENOTDIR: [20, 'Not a directory'],
  EROFS: [30, 'Read-only file system'],
  ENOSPC: [28, 'No space left on device'],
};

export function describeErrno(e: NodeJS.ErrnoException): string {
  return ERRNO_TEXT[e.code ?? '']?.[1] ?? e.message;
}

export function errnoNumber(e: NodeJS.ErrnoException): number {
  return ERRNO_TEXT[e.code ?? '']?.[0] ?? Math.abs(e.errno ?? 0);
}
