/**
 * Where a log call came from (file, line, function), for journald's CODE_* fields:
 * the first stack frame outside pino and this logging module. Only the journald output
 * asks, so other outputs never pay for a stack trace. The daemons run bundled into one
 * file; with source maps on (turned on when a journald output opens), frames name the
 * original sources, as they do when the modules run unbundled.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../package-root.js';

export interface CallSite {
  file: string;
  line: number;
  func: string;
}

/** Frames of the logging machinery itself, whichever layout the code runs from. */
const MACHINERY = ['/daemons/logging/', '/node_modules/pino/', '/node_modules/sonic-boom/', '/node_modules/pino-std-serializers/'];
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/;

/** Stack frames through source maps: call once the caller needs call sites. */
export function mapCallSites(): void {
  process.setSourceMapsEnabled(true);
}

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
    if (path.startsWith('node:') || MACHINERY.some((dir) => path.includes(dir))) continue;
    return { file: relative(packageRoot(), path), line: Number(line), func: func ?? '<anonymous>' };
  }
  return undefined;
}
