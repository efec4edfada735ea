/**
 * Drift: a daemon's running settings (worker pools, client limits, log filters
 * and outputs, the auto-shutdown timeout) against what its config file, command
 * line and environment give it at the next start. Whatever differs is lost at
 * restart; for each such value, the exact line that would keep it: the config
 * line to add (or the line it replaces, by number), or the command-line option.
 */
import type { AdminClient, Host } from '../../admin-client/index.js';
import { ConfigError, type ConfFile, parseConf } from '../../conf/index.js';
import { daemonFacts, type DaemonFacts } from '../daemon-facts.js';
import { restorableFilters } from '../capture/presets.js';
import { type Expected, expectedSettings } from './expected-settings.js';

/** How to keep a runtime value over a restart. */
export type Keep =
  | { how: 'config'; file: string; line: string; replaces?: { line: number; text: string } }
  | { how: 'command line'; option: string }
  | { how: 'environment'; variable: string }
  | { how: 'impossible'; why: string };

export interface DriftItem {
  /** `server virtqemud`, `server admin`, `logging`, `auto-shutdown`. */
  scope: string;
  /** The config key, or what it is when no key sets it. */
  setting: string;
  runtime: string;
  configured: string;
  source: Expected['source'];
  line?: number;
  lostAtRestart: boolean;
  keep?: Keep;
}

export interface DriftReport {
  facts: DaemonFacts;
  configFile: string | undefined;
  configFound: boolean;
  items: DriftItem[];
  /** What could not be compared, and why. */
  notes: string[];
  /** When an idle daemon started with --timeout exits (ours only); null while it has clients. */
  idleShutdownAt?: number | null;
}

export class DriftUnknown extends Error {}

const SERVER_FIELDS = [
  ['min_workers', 'minWorkers'],
  ['max_workers', 'maxWorkers'],
  ['prio_workers', 'prioWorkers'],
  ['max_clients', 'maxClients'],
  ['max_anonymous_clients', 'maxUnauthClients'],
] as const;

/** What the daemon runs with now, as the admin API reports it; a console passes what its views already fetched. */
export interface RuntimeSettings {
  servers: { name: string; minWorkers: number; maxWorkers: number; prioWorkers: number; maxClients: number; maxUnauthClients: number }[];
  filters: string | null;
  outputs: string;
}

/** The daemon's config file as read on its host: parsed, and its lines (for "replace line N"). */
export interface ConfigRead {
  conf: ConfFile;
  found: boolean;
  text: string[];
}

export async function readRuntime(admin: AdminClient): Promise<RuntimeSettings> {
  const servers = await Promise.all(
    (await admin.listServers()).map(async (name) => {
      const [tp, limits] = await Promise.all([admin.getThreadpoolParameters(name), admin.getClientLimits(name)]);
      return { name, minWorkers: tp.minWorkers, maxWorkers: tp.maxWorkers, prioWorkers: tp.prioWorkers, maxClients: limits.nclientsMax, maxUnauthClients: limits.nclientsUnauthMax };
    }),
  );
  const [filters, outputs] = await Promise.all([admin.getLoggingFilters(), admin.getLoggingOutputs()]);
  return { servers, filters: filters.filters, outputs: outputs.outputs };
}

export async function readConfig(host: Host, path: string | undefined): Promise<ConfigRead> {
  if (!path) return { conf: { file: '', entries: new Map() }, found: false, text: [] };
  let text: string;
  try {
    text = (await host.readFile(path)).toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { conf: { file: path, entries: new Map() }, found: false, text: [] };
    throw new DriftUnknown(`cannot read the config file ${path} on ${host.name}: ${e.message}`);
  }
  try {
    return { conf: parseConf(text, path), found: true, text: text.split('\n') };
  } catch (err) {
    if (err instanceof ConfigError) throw new DriftUnknown(`the config file would not load, so the daemon would not start again: ${err.message}`);
    throw err;
  }
}

function keepInConfig(file: string, key: string, value: string, expected: Expected, lines: string[]): Keep {
  const line = `${key} = ${value}`;
  if (expected.line !== undefined) return { how: 'config', file, line, replaces: { line: expected.line, text: lines[expected.line - 1] ?? '' } };
  return { how: 'config', file, line };
}

function keepFor(setting: string, runtime: string, quoted: boolean, e: Expected, file: string | undefined, lines: string[]): Keep {
  if (e.source === 'environment') return { how: 'environment', variable: setting === 'log_filters' ? 'LIBVIRT_LOG_FILTERS' : 'LIBVIRT_LOG_OUTPUTS' };
  if (!e.key) return { how: 'impossible', why: 'no config key sets it: a restart brings back the value libvirt fixes' };
  if (!file) return { how: 'impossible', why: "the config file's place depends on the daemon's environment, which cannot be read" };
  return keepInConfig(file, e.key, quoted ? `"${runtime}"` : runtime, e, lines);
}

/** Asks the daemon for everything (the command line's drift). */
export async function driftReport(admin: AdminClient, host: Host): Promise<DriftReport> {
  const facts = await daemonFacts(admin, host);
  return compareDrift(facts, await readConfig(host, facts.configFile), await readRuntime(admin));
}

/** Compares; asks nothing of the daemon (a console compares what its views polled anyway). */
export function compareDrift(facts: DaemonFacts, config: ConfigRead, runtime: RuntimeSettings): DriftReport {
  const notes: string[] = [];
  if (!facts.env) notes.push("the daemon's environment cannot be read: LIBVIRT_LOG_* and XDG_* there are unknown");
  const { conf, found, text } = config;
  let expected;
  try {
    expected = expectedSettings(facts, conf);
  } catch (err) {
    if (err instanceof ConfigError) throw new DriftUnknown(`the config file would not load, so the daemon would not start again: ${err.message}`);
    throw err;
  }
  const file = facts.configFile;
  const items: DriftItem[] = [];
  /** `keepValue`: the runtime value as the config file writes it, when that differs from how it is reported. */
  const add = (scope: string, setting: string, runtime: string, e: Expected, quoted: boolean, same: boolean, keepValue = runtime) => {
    items.push({
      scope,
      setting,
      runtime,
      configured: e.alternatives ? [e.value, ...e.alternatives].join(' or ') : String(e.value),
      source: e.source,
      ...(e.line !== undefined ? { line: e.line } : {}),
      lostAtRestart: !same,
      ...(same ? {} : { keep: keepFor(setting, keepValue, quoted, e, file, text) }),
    });
  };

  for (const server of runtime.servers) {
    const want = expected.servers(server.name);
    for (const [key, field] of SERVER_FIELDS) {
      const e = want[field];
      const setting = e.key ?? (server.name === 'admin' ? `admin ${key}` : key);
      add(`server ${server.name}`, setting, String(server[field]), e, false, server[field] === e.value);
    }
  }

  const outputs = { outputs: runtime.outputs };
  const runtimeFilters = (runtime.filters ?? '').trim();
  const sameFilters = runtimeFilters === String(expected.filters.value).trim();
  // The file holds filters as they are written (1:qemu), the daemon reports them stored (1:*qemu*).
  add('logging', 'log_filters', runtimeFilters, expected.filters, true, sameFilters, restorableFilters(runtimeFilters) ?? '');
  const sameOutputs = [expected.outputs.value, ...(expected.outputs.alternatives ?? [])].includes(outputs.outputs);
  add('logging', 'log_outputs', outputs.outputs, expected.outputs, true, sameOutputs);

  if (facts.idle) {
    const e = expected.timeoutSec;
    const same = facts.idle.timeoutSec === e.value;
    items.push({
      scope: 'auto-shutdown',
      setting: 'timeout',
      runtime: `${facts.idle.timeoutSec} s`,
      configured: `${e.value} s`,
      source: e.source,
      lostAtRestart: !same,
      ...(same ? {} : { keep: { how: 'command line', option: facts.idle.timeoutSec === 0 ? 'no --timeout' : `--timeout ${facts.idle.timeoutSec}` } as Keep }),
    });
  } else {
    notes.push(
      facts.options.timeoutSec !== undefined
        ? `started with --timeout ${facts.options.timeoutSec}: libvirt has no call that reads the timeout in force, and it counts this console's connection as a client, so it will not exit while attached`
        : 'the auto-shutdown timeout in force cannot be read from libvirt (it was started without --timeout)',
    );
  }
  return { facts, configFile: file, configFound: found, items, notes, ...(facts.idle ? { idleShutdownAt: facts.idle.shutdownAt } : {}) };
}
