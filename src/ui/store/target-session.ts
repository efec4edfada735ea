/**
 * One attached daemon (a target): its admin connection followed through
 * losses and reconnections, its events (our daemons push clients, their
 * authentication and settings), who its clients are, what the view needs
 * polled, the dashboard's samples, and restarts told from its pid. It writes
 * into the store through `patch`; the host layer owns one per daemon.
 */
import type { AdminClient, ClientEvent, ClientSummary, DaemonProcess, Host } from '../../admin-client/index.js';
import { REEXEC_HELPERS, transportName } from '../../admin-client/index.js';
import { clientKey, type TargetState, type ViewName } from './console-state.js';
import { IdentityFill } from './identity-fill.js';
import { reconnectNotice } from './restart-notice.js';
import { appendSample, sampleOf } from './saturation.js';
import { fetchLogging, pollView, RESYNC_ROUNDS, sampleDaemon } from './target-poll.js';
import { withClientLists, withDerived } from './target-state.js';

export interface SessionHooks {
  host: Host;
  now(): number;
  state(): TargetState | undefined;
  patch(patch: Partial<TargetState>): void;
  /** Said on the status line (restarts); only the selected target's words are shown. */
  say(text: string, tone: 'ok' | 'error' | 'notice'): void;
  /** The view on screen: identities are fetched while a client table shows. */
  view(): ViewName;
  /**
   * The running values drift compares came in (a poll, a logging change), or how the daemon
   * runs changed (`facts`: a reconnection, the timeout or its idle countdown moved).
   */
  driftStale(facts: boolean): void;
}

/** The process serving the daemon: the host's answer (pid file locks) or the daemon's own (our extension). */
export async function daemonProcessOf(host: Host, admin: AdminClient): Promise<DaemonProcess | undefined> {
  // Unknown, never a failure: a remote host may drop while it is asked (callers run it unawaited).
  if (host.daemonProcess) return host.daemonProcess(admin).catch(() => undefined);
  const reported = await admin.daemonProcess().catch(() => undefined);
  return reported && { pid: reported.pid, startedAt: reported.startedAt, timeoutSec: reported.timeoutSec, source: 'extension' };
}

const flattened = new WeakMap<TargetState['clientsByServer'], ClientSummary[]>();

/** Every server's clients in one list, the same list while the lists are the same. */
function everyClient(byServer: TargetState['clientsByServer']): ClientSummary[] {
  let all = flattened.get(byServer);
  if (!all) flattened.set(byServer, (all = Object.values(byServer).flat()));
  return all;
}

export class TargetSession {
  #admin: AdminClient;
  #polling: Promise<void> | undefined;
  #sampling: Promise<void> | undefined;
  #round = 0;
  #lastPollAt = 0;
  #fetched = new Set<string>();
  #closed = false;
  readonly #identities: IdentityFill;

  constructor(
    readonly key: string,
    admin: AdminClient,
    private readonly hooks: SessionHooks,
  ) {
    this.#admin = admin;
    this.#identities = new IdentityFill({
      host: hooks.host,
      now: hooks.now,
      current: (a) => a === this.#admin && !this.#closed,
      wanted: () => {
        const t = hooks.state();
        if (!t) return { clients: [], known: new Map() };
        return { clients: hooks.view() === 'host-clients' ? everyClient(t.clientsByServer) : t.clients, known: t.allIdentities };
      },
      found: ({ identities, processes }) => {
        const t = hooks.state();
        if (!t) return;
        this.#patch({ allIdentities: new Map([...t.allIdentities, ...identities]), processes: new Map([...t.processes, ...processes]) });
      },
    });
    queueMicrotask(() => this.#follow(admin));
  }

  get admin(): AdminClient {
    return this.#admin;
  }

  get lastPollAt(): number {
    return this.#lastPollAt;
  }

  #current(client: AdminClient): boolean {
    return client === this.#admin && !this.#closed;
  }

  #patch(patch: Partial<TargetState>): void {
    const t = this.hooks.state();
    if (t && !this.#closed) this.hooks.patch(withDerived(t, patch));
  }

  /** Polls what `view` shows (never two polls at once). */
  poll(view: ViewName): Promise<void> {
    this.#polling ??= this.#poll(view)
      .catch((err: Error) => this.#patch({ connection: this.#admin.state, connectionError: err.message }))
      .finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  async #poll(view: ViewName): Promise<void> {
    const admin = this.#admin;
    const target = this.hooks.state();
    if (!target || admin.state !== 'connected') return;
    this.#round++;
    this.#lastPollAt = this.hooks.now();
    const got = await pollView(admin, { view, round: this.#round, target, fetched: this.#fetched });
    if (!this.#current(admin)) return;
    const now = this.hooks.now();
    const patch = { ...got.patch, refreshedAt: now, connection: admin.state, connectionError: undefined };
    const sample = got.patch.servers?.[0]?.threadpool ? sampleOf(got.patch.servers, now) : undefined;
    if (sample) patch.history = appendSample(this.hooks.state()!.history, sample);
    this.#patch(got.clientLists ? { ...patch, ...withClientLists(this.hooks.state()!, got.clientLists) } : patch);
    if (view === 'clients' || view === 'host-clients') void this.#identities.fill(admin);
    // Drift compares what this poll brought with the config file: no more calls to the daemon.
    if (view === 'servers' || view === 'logging') this.hooks.driftStale(false);
  }

  /** The dashboard's look: pools, limits, load; log settings now and then; a helper's dependents. */
  sample(): Promise<void> {
    this.#sampling ??= this.#sample()
      .catch((err: Error) => this.#patch({ connection: this.#admin.state, connectionError: err.message }))
      .finally(() => (this.#sampling = undefined));
    return this.#sampling;
  }

  async #sample(): Promise<void> {
    const admin = this.#admin;
    const target = this.hooks.state();
    if (!target || admin.state !== 'connected') return;
    const resync = this.#round++ % RESYNC_ROUNDS === 0;
    this.#lastPollAt = this.hooks.now();
    const patch = await sampleDaemon(admin, target, { services: !this.#fetched.has('services'), names: resync });
    this.#fetched.add('services');
    if (resync && !target.liveEvents) Object.assign(patch, await fetchLogging(admin));
    if (target.liveEvents && REEXEC_HELPERS.includes(target.daemonName ?? '')) patch.dependents = await admin.daemonState();
    // A daemon may take its pid file a moment after its sockets listen: look again until it is known.
    if (!target.process) patch.process = await daemonProcessOf(this.hooks.host, admin);
    if (!this.#current(admin)) return;
    const now = this.hooks.now();
    const sample = sampleOf(patch.servers ?? [], now);
    this.#patch({ ...patch, ...(sample ? { history: appendSample(this.hooks.state()!.history, sample) } : {}), refreshedAt: now, connection: admin.state, connectionError: undefined });
  }

  /** Identities for what the view shows, now (a view change). */
  fillIdentities(): Promise<void> {
    return this.#identities.fill(this.#admin);
  }

  #onClientEvent(client: AdminClient, e: ClientEvent): void {
    if (!this.#current(client)) return;
    const t = this.hooks.state();
    if (!t) return;
    const key = clientKey(e);
    const unauthenticated = new Set(t.unauthenticated);
    if (e.event === 'disconnect' || e.event === 'authenticated' || !e.authPending) unauthenticated.delete(key);
    else unauthenticated.add(key);
    const list = t.clientsByServer[e.server];
    // A server whose list was never fetched is left alone: the fetch will bring it whole.
    if (!list || e.event === 'authenticated') {
      this.#patch({ unauthenticated });
      return;
    }
    let next: ClientSummary[] = list;
    if (e.event === 'disconnect') next = list.filter((c) => c.id !== e.id);
    else if (!list.some((c) => c.id === e.id)) next = [...list, { server: e.server, id: e.id, transport: transportName(e.transport), connectedAt: e.timestamp }];
    if (next === list) return this.#patch({ unauthenticated });
    const allIdentities = e.event === 'disconnect' ? new Map(t.allIdentities) : t.allIdentities;
    const processes = e.event === 'disconnect' ? new Map(t.processes) : t.processes;
    if (e.event === 'disconnect') {
      allIdentities.delete(key);
      processes.delete(key);
    }
    this.#patch({ ...withClientLists(t, { [e.server]: next }), allIdentities, processes, unauthenticated });
    if (e.event === 'connect') void this.#identities.fill(client);
  }

  async #onSettingsChanged(client: AdminClient, what: string): Promise<void> {
    if (!this.#current(client)) return;
    // The countdown is part of how the daemon runs: read again (the other settings come below).
    if (what === 'idle' || what === 'timeout') this.hooks.driftStale(true);
    if (what === 'idle') return;
    if (what === 'logging') {
      this.#patch(await fetchLogging(client));
      this.hooks.driftStale(false);
    } else if (what === 'timeout') {
      const process = await daemonProcessOf(this.hooks.host, client);
      if (this.#current(client)) this.#patch({ process });
    } else await this.sample();
  }

  /**
   * After every (re)connection: events subscribed once (the admin client renews the
   * subscription itself after a reconnect), who serves the daemon now, and whether that
   * is a restart.
   */
  async #connected(client: AdminClient, wasLost: boolean): Promise<void> {
    this.#fetched = new Set();
    this.#identities.reset();
    // Ours: watching a daemon started with --timeout must not keep it up (libvirt's counts us, and drift says so).
    // Nothing below waits for it: the client renews it by itself after a reconnect.
    void client.releaseIdleHold().catch(() => false);
    // A daemon come back may be another process, started otherwise: drift reads how anew.
    if (wasLost) this.hooks.driftStale(true);
    if (!this.hooks.state()?.liveEvents) {
      const live = await client.subscribeClientEvents((e) => this.#onClientEvent(client, e)).catch(() => false);
      if (this.#current(client)) this.#patch({ liveEvents: live, unauthKnown: live });
    }
    const before = this.hooks.state()?.process;
    const process = await daemonProcessOf(this.hooks.host, client);
    if (!this.#current(client)) return;
    const sameProcess = before && process && before.pid === process.pid;
    // Client ids restart with the daemon: after a reconnection, cached identities are kept only
    // for the same process. On the first connection there is nothing stale to drop.
    const forget = wasLost && !sameProcess ? { allIdentities: new Map(), processes: new Map(), clientsByServer: {}, unauthenticated: new Set<string>() } : {};
    this.#patch({ process, ...forget });
    if (wasLost) this.hooks.say(reconnectNotice(this.hooks.state()?.daemonName ?? client.uri, before, process, this.hooks.now()), 'notice');
    await Promise.all([this.sample(), this.poll(this.hooks.view())]);
  }

  #follow(client: AdminClient): void {
    let wasLost = false;
    let hadConnection = client.state === 'connected';
    client.onState((state, error) => {
      if (!this.#current(client)) return;
      this.#patch({ connection: state, ...(error ? { connectionError: error.message } : {}) });
      if (state === 'lost' || state === 'reconnecting') wasLost = true;
      if (state === 'connected') {
        // Only a connection that was there and came back can be a restart.
        void this.#connected(client, wasLost && hadConnection);
        wasLost = false;
        hadConnection = true;
      }
    });
    client.onSettingsChanged((e) => void this.#onSettingsChanged(client, e.what));
    if (client.state === 'connected') void this.#connected(client, false);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#identities.close();
    await this.#admin.close();
  }
}
