/**
 * Where a log call came from (file, line, function), for journald's CODE_* fields:
 * the first stack frame outside pino and this logging module. Only the journald output
 * asks, so other outputs never pay for a stack trace.
 */
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CallSite {
  file: string;
  line: number;
  func: string;
}

/** dist/src/daemons/logging -> the package root is four levels up. */
const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const LOGGING_DIR = dirname(fileURLToPath(import.meta.url));
const PINO_DIR = dirname(createRequire(import.meta.url).resolve('pino'));
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/;

export function callSite(): CallSite | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 24;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const frame of stack.split('\n').slice(1)) {
    const m = FRAME.exec(frame);
    if (!m) continue;
    const [, func, location, line] = m as unknown as [string, string | undefined, string, string];
    const path = location.startsWith('file://') ? fileURLToPath(location) : location;
    if (path.startsWith(LOGGING_DIR) || path.startsWith(PINO_DIR) || path.startsWith('node:')) continue;
    return { file: relative(PACKAGE_ROOT, path), line: Number(line), func: func ?? '<anonymous>' };
  }
  return undefined;
}
