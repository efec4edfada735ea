/**
 * The selected daemon and the polling clock: what the current view needs
 * from the daemon it shows (polled per view, or pushed by our daemons'
 * events), the dashboard's look at every attached daemon (each poll while the
 * dashboard shows, every fifth otherwise, for its 10-minute history), the
 * host-wide table's client lists, and choosing which daemon the
 * single-daemon views show.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { TargetState } from './console-state.js';
import type { Console } from './console-store.js';
import { dashboardRows } from './dashboard-rows.js';
import { adminSocketOf, type TargetRegistry } from './host-slice.js';

export interface TargetSlice {
  /** Polls now what the current view needs from the selected daemon (never two polls at once). */
  refresh(): Promise<void>;
  /** The polling timer's tick: every daemon that is due, slower while its debug logging is on. */
  tick(): Promise<void>;
  pollIntervalMs: number;
  /**
   * The console's clock, moved once per tick together with the tick's answers: what shows a
   * time (ages, uptimes, "data 1s old", a countdown) is drawn again in that one frame a second.
   */
  clockMs: number;
  setPollInterval(ms: number): void;
  patchTarget(patch: Partial<TargetState>): void;
  chooseServer(): void;
  /** Shows the daemon under the dashboard's cursor in the single-daemon views. */
  attachSelectedDaemon(): Promise<void>;
  selectTarget(key: string): void;
}

/** While debug logging is on, poll this many times less often (each call is logged). */
export const DEBUG_SLOWDOWN = 5;
/** Off the dashboard, each daemon's history is sampled every this many intervals. */
export const HISTORY_EVERY = 5;
/** A tick's answers are held for one frame at most this long: a daemon slow to answer draws on its own after. */
const TICK_FRAME_WAIT_MS = 250;

export const createTargetSlice =
  (reg: TargetRegistry, now: () => number): StateCreator<Console, [], [], TargetSlice> =>
  (set, get) => {
    const lastAt = new Map<string, number>();
    /** Whether `what` of target `key` is due; a little slack: a timer firing a few ms early must not skip a whole interval. */
    const due = (key: string, what: string, every: number) => {
      const t = get().targets[key];
      const interval = get().pollIntervalMs * every * (t?.debugLogging ? DEBUG_SLOWDOWN : 1);
      const at = lastAt.get(`${key}:${what}`) ?? 0;
      if (now() - at < interval - 50) return false;
      lastAt.set(`${key}:${what}`, now());
      return true;
    };
    const selected = () => reg.sessions.get(get().selectedKey);

    return {
      pollIntervalMs: 1000,
      clockMs: now(),
      setPollInterval: (ms) => set({ pollIntervalMs: ms }),
      patchTarget: (patch) => get().patchTargetOf(get().selectedKey, patch),
      async refresh() {
        const s = get();
        lastAt.set(`${s.selectedKey}:view`, now());
        const session = selected();
        if (!session) return;
        if (s.view === 'dashboard') await Promise.all([...reg.sessions.values()].map((x) => x.sample()));
        else if (s.view === 'host-clients') await Promise.all([...reg.sessions.values()].map((x) => x.poll('host-clients')));
        else await session.poll(s.view);
        get().flushTargets();
      },
      async tick() {
        const s = get();
        const work: Promise<void>[] = [];
        for (const [key, session] of reg.sessions) {
          const mine = key === s.selectedKey;
          if (s.view === 'dashboard') {
            if (due(key, 'sample', 1)) work.push(session.sample());
            continue;
          }
          if (s.view === 'host-clients' && due(key, 'view', 1)) work.push(session.poll('host-clients'));
          else if (mine && s.view !== 'host-clients' && due(key, 'view', 1)) work.push(session.poll(s.view));
          // The history goes on off the dashboard, at a slower pace (the servers view samples the one it shows).
          if (!(mine && s.view === 'servers') && due(key, 'sample', HISTORY_EVERY)) work.push(session.sample());
        }
        get().holdTargets(true);
        let waited: NodeJS.Timeout | undefined;
        try {
          await Promise.race([Promise.all(work), new Promise((r) => (waited = setTimeout(r, TICK_FRAME_WAIT_MS)))]);
        } finally {
          clearTimeout(waited);
          get().holdTargets(false);
          get().flushTargets({ clockMs: now() });
        }
      },
      chooseServer() {
        const server = get().target.servers[get().serverCursor];
        if (server) {
          set({ view: 'clients', clientCursor: 0 });
          get().patchTarget({ clientServer: server.name });
        }
        void get().refresh();
      },
      selectTarget(key) {
        const t = get().targets[key];
        if (!t) return;
        get().flushTargets();
        set({ selectedKey: key, target: get().targets[key]!, view: 'servers', serverCursor: 0, clientCursor: 0, showDetail: false });
        // The live log follows the daemon shown: another one shown, it stops (view 6 starts it again).
        void get().stopLiveLog();
        void get().refresh();
      },
      async attachSelectedDaemon() {
        const row = dashboardRows(get())[get().daemonCursor];
        if (!row) return;
        const here = get().target.uri;
        const name = `${row.name} (${row.mode}${row.uid !== undefined ? ` of uid ${row.uid}` : ''})`;
        if (row.key && get().targets[row.key]) {
          if (row.key === get().selectedKey) get().setView('servers');
          else get().selectTarget(row.key);
          return get().say(`showing ${name}`);
        }
        const d = row.found;
        const admin = d?.sockets.find((x) => x.role === 'admin');
        if (d && !d.running) {
          const why = d.socketsHeldBy ? `its sockets are ${d.socketsHeldBy}'s` : `its admin socket is ${admin?.state ?? 'absent'}`;
          return get().note(`${name} is not running (${why}): still showing ${here}`);
        }
        if (admin?.state === 'denied') return get().note(`${name}: its admin socket is not ours to open (permission denied): still showing ${here}`);
        await get().discover();
        const key = d && adminSocketOf(d);
        if (key && get().targets[key]) get().selectTarget(key);
        else get().note(`${name} could not be attached: still showing ${here}`);
      },
    };
  };
