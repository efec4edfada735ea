/**
 * The attached daemon (one target): its connection, what the current view
 * needs from it (polled per view, or pushed by our daemons' events), who its
 * clients are (every id once, in bounded batches), restarts told from its
 * pid, and attaching to another daemon without losing the current one when
 * that fails. Only this slice and the action slice talk to the admin client.
 */
import type { StateCreator } from 'zustand/vanilla';
import { type AdminClient, type ClientEvent, type ClientInfo, fetchIdentities, findDaemonProcess, transportName } from '../../admin-client/index.js';
import type { TargetState } from './console-state.js';
import type { Console } from './console-store.js';
import { reconnectNotice } from './restart-notice.js';
import { fetchLogging, pollView } from './target-poll.js';

/** Where the target's admin client lives; attaching replaces it. */
export interface TargetLink {
  admin: AdminClient;
  /** Opens a client for another daemon (the daemons view's Enter). */
  connect?: (uri: string) => Promise<AdminClient>;
}

export interface TargetSlice {
  target: TargetState;
  /** Polls now what the current view needs (never two polls at once). */
  refresh(): Promise<void>;
  /** The polling timer's tick: like refresh, but slower while debug logging is on. */
  tick(): Promise<void>;
  pollIntervalMs: number;
  setPollInterval(ms: number): void;
  patchTarget(patch: Partial<TargetState>): void;
  chooseServer(): void;
  attachSelectedDaemon(): Promise<void>;
}

/** While debug logging is on, poll this many times less often (each call is logged). */
export const DEBUG_SLOWDOWN = 5;
/** Identities asked for per batch, and calls in flight: a console must not take all of a daemon's admin workers. */
const IDENTITY_BATCH = 500;
const IDENTITY_IN_FLIGHT = 8;
/**
 * A client's identity exists only once it has made its first call, which comes just after its
 * connect event: an id the daemon would not describe is asked again after 0.25 s, then twice as
 * long each time, up to 30 s (a client that never calls costs one call in 30 s).
 */
const IDENTITY_RETRY_MS = { first: 250, max: 30000 };

export function initialTarget(admin: AdminClient): TargetState {
  return {
    uri: admin.uri,
    socketPath: admin.target.socketPath,
    daemonName: admin.target.daemon,
    connection: admin.state,
    liveEvents: false,
    servers: [],
    clientServer: '',
    clients: [],
    identities: new Map(),
    logFilters: null,
    logOutputs: '',
    debugLogging: false,
  };
}

export const createTargetSlice =
  (link: TargetLink, now: () => number): StateCreator<Console, [], [], TargetSlice> =>
  (set, get) => {
    let polling: Promise<void> | undefined;
    let round = 0;
    let lastPollAt = 0;
    let fetched = new Set<string>();
    let identityFetch: Promise<void> | undefined;
    let identityRetry: NodeJS.Timeout | undefined;
    /** Ids the daemon would not describe yet: when to ask again, and the wait after that. */
    const retries = new Map<number, { at: number; waitMs: number }>();
    const patchTarget = (patch: Partial<TargetState>) => set({ target: { ...get().target, ...patch } });
    const current = (client: AdminClient) => client === link.admin;

    const scheduleRetry = () => {
      if (identityRetry) clearTimeout(identityRetry);
      const next = Math.min(...[...retries.values()].map((r) => r.at));
      if (!Number.isFinite(next)) return;
      identityRetry = setTimeout(() => void fillIdentities(), Math.max(0, next - now()));
      identityRetry.unref();
    };

    const fillIdentities = (): Promise<void> =>
      (identityFetch ??= (async () => {
        const admin = link.admin;
        for (;;) {
          const t = get().target;
          const server = t.clientServer;
          const due = (id: number) => (retries.get(id)?.at ?? 0) <= now();
          const missing = t.clients.filter((c) => !t.identities.has(c.id) && due(c.id));
          if (!missing.length || !current(admin)) return;
          const results = await fetchIdentities(admin, missing.slice(0, IDENTITY_BATCH), { inFlight: IDENTITY_IN_FLIGHT });
          if (!current(admin) || get().target.clientServer !== server) return;
          const identities = new Map(get().target.identities);
          for (const [id, r] of results) {
            if ('info' in r) {
              identities.set(id, r.info);
              retries.delete(id);
            } else {
              const waitMs = retries.get(id)?.waitMs ?? IDENTITY_RETRY_MS.first;
              retries.set(id, { at: now() + waitMs, waitMs: Math.min(IDENTITY_RETRY_MS.max, waitMs * 2) });
            }
          }
          patchTarget({ identities });
        }
      })()
        .catch(() => {})
        .finally(() => {
          identityFetch = undefined;
          // Forget ids that left; ask again for the others when their time comes.
          const listed = new Set(get().target.clients.map((c) => c.id));
          for (const id of retries.keys()) if (!listed.has(id)) retries.delete(id);
          scheduleRetry();
        }));

    const withClients = (clients: TargetState['clients'], server: string): Partial<TargetState> => {
      const t = get().target;
      // Identities never change for an id: keep those still listed (of the same server).
      const keep = server === t.clientServer ? t.identities : new Map<number, ClientInfo>();
      const ids = new Set(clients.map((c) => c.id));
      return { clients, clientServer: server, identities: new Map([...keep].filter(([id]) => ids.has(id))) };
    };

    const poll = async () => {
      const admin = link.admin;
      const s = get();
      round++;
      lastPollAt = now();
      const got = await pollView(admin, { view: s.view, round, target: s.target, fetched });
      if (!current(admin)) return;
      const patch: Partial<TargetState> = { ...got, ...(got.clients ? withClients(got.clients, got.clientServer!) : {}) };
      if (got.clientServer && got.clientServer !== get().target.clientServer && !got.clients) Object.assign(patch, withClients([], got.clientServer));
      patchTarget({ ...patch, refreshedAt: now(), connection: admin.state, connectionError: undefined });
      if (s.view === 'clients') void fillIdentities();
      // Drift compares what this poll brought with the config file: no more calls to the daemon.
      if (s.view === 'servers' || s.view === 'logging') void get().refreshDrift();
    };

    const onClientEvent = (client: AdminClient, e: ClientEvent) => {
      if (!current(client)) return;
      const t = get().target;
      if (e.server !== t.clientServer) return;
      if (e.event === 'disconnect') {
        const identities = new Map(t.identities);
        identities.delete(e.id);
        patchTarget({ clients: t.clients.filter((c) => c.id !== e.id), identities });
      } else if (!t.clients.some((c) => c.id === e.id)) {
        patchTarget({ clients: [...t.clients, { server: e.server, id: e.id, transport: transportName(e.transport), connectedAt: e.timestamp }] });
        void fillIdentities();
      }
    };

    const onSettingsChanged = async (client: AdminClient, what: string) => {
      if (!current(client)) return;
      // The countdown is part of how the daemon runs: read again (the other settings come by the poll below).
      if (what === 'idle' || what === 'timeout') void get().refreshDrift({ facts: true });
      if (what === 'idle') return;
      if (what === 'logging') {
        patchTarget(await fetchLogging(client));
        if (get().view === 'servers' || get().view === 'logging') void get().refreshDrift();
      } else if (what === 'timeout') {
        const process = await findDaemonProcess(client);
        if (current(client)) patchTarget({ process });
      } else if (get().view === 'servers') await get().refresh();
    };

    /**
     * After every (re)connection: events subscribed once (the admin client renews the
     * subscription itself after a reconnect), who serves the daemon now, and whether that
     * is a restart.
     */
    const connected = async (client: AdminClient, wasLost: boolean) => {
      fetched = new Set();
      retries.clear();
      // Ours: watching a daemon started with --timeout must not keep it up (libvirt's counts us, and says so in drift).
      await client.releaseIdleHold().catch(() => false);
      // A daemon come back may be another process, started otherwise: drift reads how anew.
      if (wasLost) void get().refreshDrift({ facts: true });
      if (!get().target.liveEvents) {
        const live = await client.subscribeClientEvents((e) => onClientEvent(client, e)).catch(() => false);
        if (current(client)) patchTarget({ liveEvents: live });
      }
      const before = get().target.process;
      const process = await findDaemonProcess(client);
      if (!current(client)) return;
      const sameProcess = before && process && before.pid === process.pid;
      // Client ids restart with the daemon: after a reconnection, cached identities are kept only
      // for the same process. On the first connection there is nothing stale to drop (and the
      // identities polls fetched meanwhile are good).
      patchTarget({ process, ...(wasLost && !sameProcess ? { identities: new Map() } : {}) });
      if (wasLost) get().say(reconnectNotice(get().target.daemonName ?? client.uri, before, process, now()), 'notice');
      await get().refresh();
    };

    const follow = (client: AdminClient) => {
      let wasLost = false;
      let hadConnection = client.state === 'connected';
      client.onState((state, error) => {
        if (!current(client)) return;
        patchTarget({ connection: state, ...(error ? { connectionError: error.message } : {}) });
        if (state === 'lost' || state === 'reconnecting') wasLost = true;
        if (state === 'connected') {
          // Only a connection that was there and came back can be a restart.
          void connected(client, wasLost && hadConnection);
          wasLost = false;
          hadConnection = true;
        }
      });
      client.onSettingsChanged((e) => void onSettingsChanged(client, e.what));
      if (client.state === 'connected') void connected(client, false);
    };

    queueMicrotask(() => follow(link.admin));

    return {
      target: initialTarget(link.admin),
      pollIntervalMs: 1000,
      setPollInterval: (ms) => set({ pollIntervalMs: ms }),
      patchTarget,
      refresh() {
        polling ??= poll()
          .catch((err: Error) => patchTarget({ connection: link.admin.state, connectionError: err.message }))
          .finally(() => (polling = undefined));
        return polling;
      },
      async tick() {
        const s = get();
        const interval = s.target.debugLogging ? s.pollIntervalMs * DEBUG_SLOWDOWN : s.pollIntervalMs;
        // A little slack: a timer firing a few ms early must not skip a whole interval.
        if (now() - lastPollAt >= interval - 50) await s.refresh();
      },
      chooseServer() {
        const server = get().target.servers[get().serverCursor];
        if (server) {
          set({ view: 'clients', clientCursor: 0 });
          patchTarget(withClients([], server.name));
        }
        void get().refresh();
      },
      async attachSelectedDaemon() {
        const d = get().daemons[get().daemonCursor];
        if (!d || !link.connect) return;
        const admin = d.sockets.find((x) => x.role === 'admin');
        const here = get().target.uri;
        if (admin?.address === get().target.socketPath) return get().say(`already attached to ${d.name} (${d.mode})`);
        if (!d.running) {
          const why = d.socketsHeldBy ? `its sockets are ${d.socketsHeldBy}'s` : `its admin socket is ${admin?.state ?? 'absent'}`;
          return get().note(`${d.name} (${d.mode}) is not running (${why}): still attached to ${here}`);
        }
        let next: AdminClient;
        try {
          next = await link.connect(d.adminUri);
        } catch (err) {
          return get().note(`attach to ${d.name} (${d.mode}) refused: ${(err as Error).message}; still attached to ${here}`);
        }
        if (next.state !== 'connected') {
          const why = next.lastError?.message ?? next.state;
          await next.close();
          return get().note(`attach to ${d.name} (${d.mode}) refused: ${why}; still attached to ${here}`);
        }
        const old = link.admin;
        link.admin = next;
        await old.close();
        set({ target: initialTarget(next), view: 'servers', serverCursor: 0, clientCursor: 0 });
        void get().stopLiveLog();
        follow(next);
        get().say(`attached to ${d.name} (${d.mode})`);
      },
    };
  };
