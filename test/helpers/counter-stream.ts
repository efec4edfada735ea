/**
 * The counter guest's serial log as virtlogd wrote it: the backups oldest
 * first, then the live file, joined as one byte stream (rollover may cut a
 * line between two files), and checked for every value, in order, once.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface RotatedStream {
  /** Files that exist, oldest first. */
  files: string[];
  data: Buffer;
}

export function readRotated(path: string, maxBackups: number): RotatedStream {
  const names = [...Array.from({ length: maxBackups }, (_, i) => `${path}.${maxBackups - 1 - i}`), path];
  const files = names.filter((f) => existsSync(f));
  return { files, data: Buffer.concat(files.map((f) => readFileSync(f))) };
}

export interface CounterCheck {
  first: number;
  last: number;
  lines: number;
  /** Values that do not follow the one before (a gap or a repeat), at most ten. */
  problems: string[];
}

/**
 * Whole lines only: a last line still being written is not counted, and with
 * `cutStart` (the oldest backups were pruned) neither is a first line that
 * began in a pruned file.
 */
export function checkCounter(data: Buffer, opts: { cutStart?: boolean } = {}): CounterCheck {
  const text = data.toString('latin1');
  let lines = text.split('\n');
  lines.pop(); // after the last newline: nothing, or a line still being written
  if (opts.cutStart) lines = lines.slice(1);
  const problems: string[] = [];
  const values = lines.map((l, i) => {
    if (!/^\d+$/.test(l) && problems.length < 10) problems.push(`line ${i} is not a number: ${JSON.stringify(l.slice(0, 40))}`);
    return Number(l);
  });
  for (let i = 1; i < values.length && problems.length < 10; i++) {
    if (values[i] !== values[i - 1]! + 1) problems.push(`line ${i}: ${values[i - 1]} is followed by ${values[i]}`);
  }
  return { first: values[0] ?? -1, last: values[values.length - 1] ?? -1, lines: values.length, problems };
}
