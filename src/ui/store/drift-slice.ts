/**
 * Drift marks (engine: src/tasks/drift): the shown daemon's running settings
 * against its config file. The running values are those the servers and
 * logging views poll anyway, so drift asks the daemon nothing more per poll
 * (issue 9: a console must not flood the log it helps read); how the daemon
 * was started is read once per connection (and again when its countdown
 * moves), the config file on its host at most every 2 s. `D` compares
 * afresh, asking the daemon for everything, and shows every value a restart
 * would lose with the lines that keep them.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { AdminClient } from '../../admin-client/index.js';
import { compareDrift, type ConfigRead, daemonFacts, type DaemonFacts, type DriftReport, driftReport, driftText, readConfig, type RuntimeSettings } from '../../tasks/index.js';
import type { TargetState } from './console-state.js';
import type { Console } from './console-store.js';
import type { TaskLink } from './task-link.js';

export interface DriftState {
  report?: DriftReport;
  error?: string;
  at: number;
}

export interface DriftSlice {
  /** By daemon (admin socket). */
  drift: Record<string, DriftState>;
  /** Compares what the views hold with the config file; `facts`: read how the daemon was started again. */
  refreshDrift(opts?: { facts?: boolean }): Promise<void>;
  showDrift(): Promise<void>;
}

/** The config file is read again after this long. */
export const CONFIG_MAX_AGE_MS = 2000;

/** The drift item of a setting, for the marks beside its value. */
export function driftOf(d: DriftState | undefined, scope: string, setting: string) {
  return d?.report?.items.find((i) => i.scope === scope && i.setting === setting);
}

/** What the views polled, once they have all of it. */
function runtimeOf(t: TargetState): RuntimeSettings | undefined {
  if (t.servers.length === 0 || t.servers.some((s) => !s.threadpool || !s.limits)) return undefined;
  return {
    servers: t.servers.map((s) => ({
      name: s.name,
      minWorkers: s.threadpool!.minWorkers,
      maxWorkers: s.threadpool!.maxWorkers,
      prioWorkers: s.threadpool!.prioWorkers,
      maxClients: s.limits!.nclientsMax,
      maxUnauthClients: s.limits!.nclientsUnauthMax,
    })),
    filters: t.logFilters,
    outputs: t.logOutputs,
  };
}

export const createDriftSlice =
  (link: TaskLink, now: () => number): StateCreator<Console, [], [], DriftSlice> =>
  (set, get) => {
    let busy: Promise<void> | undefined;
    let again = false;
    const facts = new Map<string, { admin: AdminClient; facts: DaemonFacts }>();
    const configs = new Map<string, { at: number; read: ConfigRead }>();

    const compare = async (force: boolean) => {
      const sel = link.selected();
      if (!sel) return;
      const put = (next: DriftState) => set({ drift: { ...get().drift, [sel.key]: next } });
      try {
        let f = facts.get(sel.key);
        if (!f || f.admin !== sel.admin || force) facts.set(sel.key, (f = { admin: sel.admin, facts: await daemonFacts(sel.admin, link.host) }));
        let c = configs.get(sel.key);
        if (!c || now() - c.at > CONFIG_MAX_AGE_MS || force) configs.set(sel.key, (c = { at: now(), read: await readConfig(link.host, f.facts.configFile) }));
        const runtime = runtimeOf(get().target);
        if (runtime) put({ report: compareDrift(f.facts, c.read, runtime), at: now() });
      } catch (err) {
        put({ error: (err as Error).message, at: now() });
      }
    };

    return {
      drift: {},
      refreshDrift(opts = {}) {
        // One comparison at a time; a request meanwhile runs once after it, with what came in since.
        if (busy) {
          again ||= true;
          if (opts.facts) facts.clear();
          return busy;
        }
        busy = (async () => {
          do {
            again = false;
            await compare(opts.facts === true);
          } while (again);
        })().finally(() => (busy = undefined));
        return busy;
      },
      async showDrift() {
        const sel = link.selected();
        if (!sel) return;
        let text: string;
        try {
          text = driftText(await driftReport(sel.admin, link.host), now());
        } catch (err) {
          text = `cannot compare with the config file: ${(err as Error).message}`;
        }
        get().openText('Drift: running settings against the config file', text);
      },
    };
  };
