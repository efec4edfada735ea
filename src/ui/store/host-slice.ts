/**
 * The host layer (issue 12): every daemon discovery finds on the host, one
 * target per daemon attached (all reachable admin sockets at once), and which
 * one the single-daemon views show. Everything host-wide goes through the
 * `Host` (discovery, connections, /proc): a host on another machine gives the
 * same layer. A daemon that appears is attached at the next discovery; one
 * that goes away keeps its row, marked down, and comes back by itself.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { AdminClient, AdminClientOptions, DiscoveredDaemon, DiscoveryOptions, Host } from '../../admin-client/index.js';
import type { TargetState } from './console-state.js';
import type { Console } from './console-store.js';
import { type SessionHooks, TargetSession } from './target-session.js';
import { initialTarget } from './target-state.js';

/** The attached daemons' sessions, outside the state (they hold connections, not data). */
export class TargetRegistry {
  readonly sessions = new Map<string, TargetSession>();
  constructor(
    readonly host: Host,
    readonly connectOptions: AdminClientOptions,
  ) {}
}

export interface HostSlice {
  hostName: string;
  daemons: DiscoveredDaemon[];
  /** Why the host's last discovery failed (a remote host unreachable); the daemons found before stay. */
  hostProblem?: string;
  /** Every attached daemon, by admin socket. */
  targets: Record<string, TargetState>;
  selectedKey: string;
  /** The selected target (the same object as targets[selectedKey]). */
  target: TargetState;
  /** Finds the host's daemons and attaches to every running one not attached yet. */
  discover(): Promise<void>;
  /** Attaches to a daemon (its admin client already open); returns its key. */
  addTarget(admin: AdminClient, found?: DiscoveredDaemon): string;
  patchTargetOf(key: string, patch: Partial<TargetState>): void;
  /** Puts changes still waiting into the store now, with `also` in the same update (one frame). */
  flushTargets(also?: Partial<Console>): void;
  /**
   * Holds targets' changes back while a poll round runs, so its answers make one frame
   * (the round's end flushes them); `holdTargets(false)` ends one hold.
   */
  holdTargets(hold: boolean): void;
  /** Ends every connection (the console is closing). */
  closeHost(): Promise<void>;
}

/** The admin socket of a discovered daemon: its key as a target. */
export function adminSocketOf(d: DiscoveredDaemon): string | undefined {
  return d.sockets.find((s) => s.role === 'admin')?.address;
}

/**
 * Changes to targets wait this long and go to the store together: six daemons answering a
 * poll a few ms apart make one frame, not six (each frame costs the console its whole screen).
 */
const COALESCE_MS = 15;

/**
 * How long discovery may reuse the kernel's list of listening sockets while no socket file
 * changed and no connection dropped (reading it costs ~22 ms a look with 10,000 clients): the
 * longest a daemon killed, that the console is not attached to, still shows its sockets active.
 */
const LISTING_REUSE_MS = 10_000;

export const createHostSlice =
  (reg: TargetRegistry, admin: AdminClient, discovery: DiscoveryOptions | undefined, now: () => number): StateCreator<Console, [], [], HostSlice> =>
  (set, get) => {
    /** Targets as changed but not yet in the store; `state` reads through them. */
    const pending = new Map<string, TargetState>();
    let flushTimer: NodeJS.Timeout | undefined;
    /** Poll rounds under way (holdTargets). */
    let holds = 0;
    const flush = (also: Partial<Console> = {}) => {
      flushTimer = undefined;
      if (!pending.size) {
        if (Object.keys(also).length) set(also);
        return;
      }
      const targets = { ...get().targets };
      for (const [key, t] of pending) if (targets[key]) targets[key] = t;
      const selected = pending.get(get().selectedKey);
      pending.clear();
      set(selected ? { ...also, targets, target: targets[get().selectedKey]! } : { ...also, targets });
    };
    const current = (key: string) => pending.get(key) ?? get().targets[key];
    /** A connection went or came since the last discovery: its daemon's sockets may have changed without their files. */
    let connectionMoved = false;
    const hooksFor = (key: string): SessionHooks => ({
      host: reg.host,
      now,
      state: () => current(key),
      patch(patch) {
        const t = current(key);
        if (!t) return;
        if (patch.connection !== undefined && patch.connection !== t.connection) connectionMoved = true;
        pending.set(key, { ...t, ...patch });
        if (!holds) flushTimer ??= setTimeout(flush, COALESCE_MS);
      },
      // A restart of any daemon is news on the dashboard; other words only from the one shown.
      say: (text, tone) => {
        if (get().selectedKey === key || tone === 'notice') get().say(text, tone);
      },
      view: () => {
        const view = get().view;
        if (get().selectedKey === key) return view;
        return view === 'host-clients' ? 'host-clients' : 'dashboard';
      },
      // Drift marks are drawn for the daemon shown, in the views that show its values.
      driftStale: (facts) => {
        if (get().selectedKey !== key || !(facts || get().view === 'servers' || get().view === 'logging')) return;
        // Drift reads the selected target from the store: put this daemon's news there first.
        if (pending.has(key)) get().flushTargets();
        void get().refreshDrift({ facts });
      },
    });

    const addTarget = (client: AdminClient, found?: DiscoveredDaemon): string => {
      const t = initialTarget(client, { mode: found?.mode, uid: found?.uid });
      if (found) t.daemonName = found.name;
      if (!reg.sessions.has(t.key)) {
        set({ targets: { ...get().targets, [t.key]: t } });
        reg.sessions.set(t.key, new TargetSession(t.key, client, hooksFor(t.key)));
      }
      return t.key;
    };

    const first = initialTarget(admin);
    reg.sessions.set(first.key, new TargetSession(first.key, admin, hooksFor(first.key)));
    let discovering: Promise<void> | undefined;
    /** The console is closing: a discovery still under way attaches nothing more (its connections would keep the process up). */
    let closed = false;

    return {
      hostName: reg.host.name,
      daemons: [],
      targets: { [first.key]: first },
      selectedKey: first.key,
      target: first,
      addTarget,
      patchTargetOf: (key, patch) => hooksFor(key).patch(patch),
      flushTargets: (also) => {
        if (flushTimer) clearTimeout(flushTimer);
        flush(also);
      },
      holdTargets: (hold) => {
        holds = Math.max(0, holds + (hold ? 1 : -1));
        // Changes that came in while held and were not flushed by the round's end wait no longer than usual.
        if (!holds && pending.size) flushTimer ??= setTimeout(flush, COALESCE_MS);
      },
      discover() {
        discovering ??= (async () => {
          let found: DiscoveredDaemon[];
          const recheckListing = connectionMoved;
          connectionMoved = false;
          try {
            found = await reg.host.discover({ ...discovery, reuseListingMs: LISTING_REUSE_MS, recheckListing });
          } catch (err) {
            // A remote host down: its rows stay as last seen, marked down by their own connections.
            set({ hostProblem: err instanceof Error ? err.message : String(err) });
            return;
          }
          if (get().hostProblem !== undefined) set({ hostProblem: undefined });
          // Running daemons first: they are what an operator looks at. Unchanged, they cost no frame.
          const daemons = [...found.filter((d) => d.running), ...found.filter((d) => !d.running)];
          if (JSON.stringify(daemons) !== JSON.stringify(get().daemons)) set({ daemons });
          const fresh = found.filter((d) => {
            const socket = adminSocketOf(d);
            const state = d.sockets.find((s) => s.role === 'admin')?.state;
            return d.running && socket && state === 'active' && !reg.sessions.has(socket) && !get().targets[socket];
          });
          await Promise.all(
            fresh.map(async (d) => {
              const client = await reg.host.connect(d.adminUri, reg.connectOptions).catch(() => undefined);
              if (!client) return;
              if (closed || reg.sessions.has(client.target.socketPath)) await client.close();
              else addTarget(client, d);
            }),
          );
          // What discovery says about daemons attached before it ran (the console's first one).
          // Two running daemons on one admin socket (libvirtd and virtproxyd, neither pid file locked yet, as
          // while one starts): discovery cannot tell which, so the target keeps the name it has.
          const claims = new Map<string, number>();
          for (const d of found) if (d.running && adminSocketOf(d)) claims.set(adminSocketOf(d)!, (claims.get(adminSocketOf(d)!) ?? 0) + 1);
          for (const d of found) {
            const key = adminSocketOf(d);
            if (key && (claims.get(key) ?? 0) > 1) continue;
            const t = key ? get().targets[key] : undefined;
            if (t && (t.mode !== d.mode || t.uid !== d.uid || t.daemonName !== d.name) && d.running) hooksFor(key!).patch({ mode: d.mode, uid: d.uid, daemonName: d.name });
          }
        })().finally(() => (discovering = undefined));
        return discovering;
      },
      async closeHost() {
        closed = true;
        await Promise.all([...reg.sessions.values()].map((s) => s.close()));
        reg.sessions.clear();
      },
    };
  };
