/**
 * Typed reads of a parsed config file, with libvirt's messages (daemons.md
 * §5.1) plus the line, so an operator can find the offending setting.
 */
import { ConfigError } from './config-error.js';
import type { ConfEntry, ConfFile } from './conf-parser.js';

export type ConfType = 'uint' | 'int' | 'bool' | 'string' | 'stringList';
export type ConfTypeValue = { uint: number; int: number; bool: boolean; string: string; stringList: string[] };

const UINT_MAX = 4294967295;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function fail(conf: ConfFile, key: string, e: ConfEntry, why: string): never {
  throw new ConfigError(`${conf.file}:${e.line}: ${why}`, conf.file, e.line, key);
}

export function readValue<T extends ConfType>(conf: ConfFile, key: string, type: T): ConfTypeValue[T] | undefined {
  const e = conf.entries.get(key);
  if (!e) return undefined;
  const v = e.value;
  switch (type) {
    case 'uint':
      if (v.type !== 'int' || v.value < 0) fail(conf, key, e, `expected an unsigned integer for '${key}' parameter`);
      if (v.value > UINT_MAX) fail(conf, key, e, `value for '${key}' parameter must be in range 0:${UINT_MAX}`);
      return v.value as ConfTypeValue[T];
    case 'int':
      if (v.type !== 'int') fail(conf, key, e, `expected a signed integer for '${key}' parameter`);
      if (v.value < INT_MIN || v.value > INT_MAX) {
        fail(conf, key, e, `value for '${key}' parameter must be in range ${INT_MIN}:${INT_MAX}`);
      }
      return v.value as ConfTypeValue[T];
    case 'bool':
      if (v.type !== 'int') fail(conf, key, e, `expected a bool for '${key}' parameter`);
      if (v.value !== 0 && v.value !== 1) fail(conf, key, e, `value for '${key}' parameter must be 0 or 1`);
      return (v.value === 1) as ConfTypeValue[T];
    case 'string':
      if (v.type !== 'string') fail(conf, key, e, `expected a string for '${key}' parameter`);
      return v.value as ConfTypeValue[T];
    case 'stringList':
      // libvirt also accepts a single string where a list is expected.
      if (v.type === 'string') return [v.value] as ConfTypeValue[T];
      if (v.type !== 'list' || v.value.some((i) => i.type !== 'string')) {
        fail(conf, key, e, `expected a string list for '${key}' parameter`);
      }
      return v.value.map((i) => i.value as string) as ConfTypeValue[T];
  }
  return undefined;
}

/** The line of a key, for messages about values that parsed but do not make sense. */
export function lineOf(conf: ConfFile, key: string): number | undefined {
  return conf.entries.get(key)?.line;
}
