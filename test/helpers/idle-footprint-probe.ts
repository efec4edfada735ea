/**
 * Loaded with `node --import` into a daemon under test (issue 16, idle RSS): on SIGUSR2 it
 * writes to $IDLE_PROBE_FILE, as JSON, the Node builtins the process has loaded so far and
 * every Date method it has called that consults the host's time zone (V8 counts toISOString
 * among them), each with the first caller's stack. The daemon itself never handles SIGUSR2.
 */
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.IDLE_PROBE_FILE;

/**
 * Date methods whose first call makes V8 ask ICU for the host's zone, which loads ICU's
 * zone data (about 1 MiB of RSS): the local-time getters and setters, the text forms.
 */
const LOCAL_ZONE_METHODS = Object.getOwnPropertyNames(Date.prototype).filter((name) => /^(get|set)(?!UTC|Time$)|^to(?!JSON$|UTCString$|GMTString$)/.test(name));

if (file) {
  const localTimeCalls: Record<string, string> = {};
  const proto = Date.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of LOCAL_ZONE_METHODS) {
    const original = proto[name]!;
    proto[name] = function (this: Date, ...args: unknown[]) {
      localTimeCalls[name] ??= new Error().stack!.split('\n').slice(2, 8).join('\n');
      return original.apply(this, args);
    };
  }
  process.on('SIGUSR2', () => {
    const { moduleLoadList } = process as unknown as { moduleLoadList: string[] };
    const builtins = moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
    // Whole or not at all: the test reads the file as soon as it appears.
    writeFileSync(`${file}.part`, JSON.stringify({ builtins, localTimeCalls }));
    renameSync(`${file}.part`, file);
  });
}
