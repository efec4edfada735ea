/**
 * What a daemon would run with after a restart, read from its config file with
 * the daemons' own parser and defaults (src/conf), its command line and its
 * environment: per setting the value, where it comes from, and the config key
 * that holds it (none for the values libvirt fixes).
 */
import {
  type ConfFile,
  defaultOutputCandidates,
  effectiveLogPriority,
  formatLogFilters,
  formatLogOutputs,
  helperDaemonConfig,
  isHelperDaemon,
  parseLogFilters,
  parseLogOutputs,
  remoteDaemonConfig,
  type RemoteDaemonConfig,
} from '../../conf/index.js';
import type { DaemonFacts } from '../daemon-facts.js';

export type Source = 'config file' | 'default' | 'environment' | 'command line' | 'fixed';

export interface Expected {
  value: number | string;
  source: Source;
  /** The config key that sets it; undefined when no key does (fixed by libvirt, or the command line). */
  key?: string;
  /** Where the file sets it. */
  line?: number;
  /** Other values that are just as much "as configured" (libvirt's default output is one of several). */
  alternatives?: string[];
}

export interface ServerExpectation {
  minWorkers: Expected;
  maxWorkers: Expected;
  prioWorkers: Expected;
  maxClients: Expected;
  maxUnauthClients: Expected;
}

export interface ExpectedSettings {
  config: RemoteDaemonConfig;
  servers(name: string): ServerExpectation;
  filters: Expected;
  outputs: Expected;
  /** Auto-shutdown: set only by the command line (--timeout). */
  timeoutSec: Expected;
}

function fromKey(conf: ConfFile, key: string, value: number | string): Expected {
  const e = conf.entries.get(key);
  return e ? { value, source: 'config file', key, line: e.line } : { value, source: 'default', key };
}

const fixed = (value: number): Expected => ({ value, source: 'fixed' });

export function expectedSettings(facts: DaemonFacts, conf: ConfFile): ExpectedSettings {
  const helper = isHelperDaemon(facts.name);
  const env = facts.env ?? {};
  const config = helper ? helperDaemonConfig(facts.name, conf, () => {}) : remoteDaemonConfig(facts.name, facts.mode, conf, () => {});
  const k = (key: string, value: number) => fromKey(conf, key, value);
  const servers = (name: string): ServerExpectation =>
    name === 'admin'
      ? {
          minWorkers: helper ? fixed(config.adminMinWorkers) : k('admin_min_workers', config.adminMinWorkers),
          maxWorkers: helper ? fixed(config.adminMaxWorkers) : k('admin_max_workers', config.adminMaxWorkers),
          prioWorkers: fixed(0),
          maxClients: k('admin_max_clients', config.adminMaxClients),
          // virtlogd and virtlockd report the admin limit here too; the others 0 (daemons.md §4).
          maxUnauthClients: helper ? { ...k('admin_max_clients', config.adminMaxClients), key: undefined } : fixed(0),
        }
      : {
          minWorkers: helper ? fixed(config.minWorkers) : k('min_workers', config.minWorkers),
          maxWorkers: helper ? fixed(config.maxWorkers) : k('max_workers', config.maxWorkers),
          prioWorkers: helper ? fixed(config.prioWorkers) : k('prio_workers', config.prioWorkers),
          maxClients: k('max_clients', config.maxClients),
          maxUnauthClients: helper ? { ...k('max_clients', config.maxAnonymousClients), key: undefined } : k('max_anonymous_clients', config.maxAnonymousClients),
        };

  const filtersText = env.LIBVIRT_LOG_FILTERS ?? config.logFilters ?? '';
  const filters: Expected =
    env.LIBVIRT_LOG_FILTERS !== undefined
      ? { value: formatLogFilters(parseLogFilters(filtersText)) ?? '', source: 'environment', key: 'log_filters' }
      : { ...fromKey(conf, 'log_filters', formatLogFilters(parseLogFilters(filtersText)) ?? ''), key: 'log_filters' };
  let outputs: Expected;
  if (env.LIBVIRT_LOG_OUTPUTS) outputs = { value: formatLogOutputs(parseLogOutputs(env.LIBVIRT_LOG_OUTPUTS)), source: 'environment', key: 'log_outputs' };
  else if (config.logOutputs) outputs = fromKey(conf, 'log_outputs', formatLogOutputs(parseLogOutputs(config.logOutputs)));
  else {
    const level = effectiveLogPriority(config.logLevel, env, facts.options.verbose);
    const [first, ...rest] = defaultOutputCandidates(facts.name, facts.mode, level, env);
    outputs = { value: first!, source: 'default', key: 'log_outputs', alternatives: rest };
  }
  const timeoutSec: Expected = { value: facts.options.timeoutSec ?? 0, source: facts.options.timeoutSec === undefined ? 'default' : 'command line' };
  return { config, servers, filters, outputs, timeoutSec };
}
