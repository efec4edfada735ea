/**
 * Finding and reading a daemon's config file: `--config FILE` (must exist) or
 * the mode's default location, which may be missing (daemons.md §2, §3).
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../conf/config-error.js';
import { parseConf, type ConfFile } from '../../conf/conf-parser.js';
import { defaultConfigPath } from '../../conf/config-path.js';
import { helperDaemonConfig, isHelperDaemon } from '../../conf/helper-daemon-config.js';
import { remoteDaemonConfig, type RemoteDaemonConfig } from '../../conf/remote-daemon-config.js';
import { strerror } from '../system-errors.js';

export interface LoadOptions {
  /** --config FILE: required to exist. */
  file?: string;
  mode: 'system' | 'session';
  warn: (msg: string) => void;
  env?: NodeJS.ProcessEnv;
}

async function readConf(path: string, required: boolean): Promise<ConfFile> {
  try {
    return parseConf(await readFile(path, 'utf8'), path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' && !required) return { file: '', entries: new Map() };
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`Failed to open file '${path}': ${strerror(e)}`, path);
  }
}

export async function loadRemoteDaemonConfig(kind: string, opts: LoadOptions): Promise<RemoteDaemonConfig> {
  const path = opts.file ?? defaultConfigPath(kind, opts.mode, opts.env);
  const conf = await readConf(path, opts.file !== undefined);
  return isHelperDaemon(kind) ? helperDaemonConfig(kind, conf, opts.warn) : remoteDaemonConfig(kind, opts.mode, conf, opts.warn);
}
