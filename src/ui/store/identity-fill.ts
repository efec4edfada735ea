/**
 * Who every client of one daemon is: client-info once per client (it never
 * changes for a client), new clients as they appear, in bounded batches (a
 * console must not take all of a daemon's admin workers), and the process
 * behind each local client from the host's /proc. A client has no identity
 * until its first call: one the daemon would not describe is asked again
 * after 0.25 s, then twice as long each time, up to 30 s.
 */
import { type AdminClient, type ClientInfo, type ClientSummary, fetchIdentities, type Host, type PeerProcess } from '../../admin-client/index.js';
import { clientKey } from './console-state.js';

/** Identities asked for per batch, and calls in flight. */
const IDENTITY_BATCH = 500;
const IDENTITY_IN_FLIGHT = 8;
const IDENTITY_RETRY_MS = { first: 250, max: 30000 };

export interface IdentityFound {
  identities: Map<string, ClientInfo>;
  processes: Map<string, PeerProcess | null>;
}

export interface IdentityFillHooks {
  host: Host;
  now(): number;
  /** The clients to know, and what is known already. */
  wanted(): { clients: ClientSummary[]; known: Map<string, ClientInfo> };
  /** Still the same connection: results for another are dropped. */
  current(admin: AdminClient): boolean;
  found(batch: IdentityFound): void;
}

export class IdentityFill {
  #running: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Clients the daemon would not describe yet: when to ask again, and the wait after that. */
  readonly #retries = new Map<string, { at: number; waitMs: number }>();
  #closed = false;
  /** The clients and identities a run last found complete: asked again with the very same, there is nothing to do. */
  #settled: { clients: ClientSummary[]; known: Map<string, ClientInfo> } | undefined;
  /** What the current run saw when it found nothing missing. */
  #lastLook: { clients: ClientSummary[]; known: Map<string, ClientInfo> } | undefined;

  constructor(private readonly hooks: IdentityFillHooks) {}

  /** A new connection: nothing to retry from the old one. */
  reset(): void {
    this.#retries.clear();
    this.#settled = undefined;
  }

  close(): void {
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
  }

  /** Fetches what is missing; resolves when nothing more can be fetched now. */
  fill(admin: AdminClient): Promise<void> {
    // Every poll asks; with the same lists and identities as a complete run, nothing is walked again.
    const w = this.#running ? undefined : this.hooks.wanted();
    if (w && this.#settled?.clients === w.clients && this.#settled.known === w.known) return Promise.resolve();
    this.#running ??= this.#run(admin)
      .catch(() => {})
      .finally(() => {
        this.#running = undefined;
        if (this.#retries.size) this.#forgetGone();
        this.#settled = this.#retries.size ? undefined : this.#lastLook;
        this.#lastLook = undefined;
        this.#schedule(admin);
      });
    return this.#running;
  }

  async #run(admin: AdminClient): Promise<void> {
    const { hooks } = this;
    for (;;) {
      const { clients, known } = hooks.wanted();
      const due = (key: string) => (this.#retries.get(key)?.at ?? 0) <= hooks.now();
      const missing = clients.filter((c) => !known.has(clientKey(c)) && due(clientKey(c)));
      if (!missing.length) this.#lastLook = { clients, known };
      if (!missing.length || !hooks.current(admin) || this.#closed) return;
      const batch = missing.slice(0, IDENTITY_BATCH);
      const results = await fetchIdentities(admin, batch, { inFlight: IDENTITY_IN_FLIGHT });
      if (!hooks.current(admin) || this.#closed) return;
      const found: IdentityFound = { identities: new Map(), processes: new Map() };
      const byPid = new Map<string, Promise<PeerProcess | undefined>>();
      for (const c of batch) {
        const key = clientKey(c);
        const r = results.get(c.id);
        if (r && 'info' in r) {
          found.identities.set(key, r.info);
          this.#retries.delete(key);
        } else {
          const waitMs = this.#retries.get(key)?.waitMs ?? IDENTITY_RETRY_MS.first;
          this.#retries.set(key, { at: hooks.now() + waitMs, waitMs: Math.min(IDENTITY_RETRY_MS.max, waitMs * 2) });
        }
      }
      // The process behind each local peer, read once per pid and uid in a batch (one process often holds many clients).
      await Promise.all(
        [...found.identities].map(async ([key, info]) => {
          if (info.unixProcessId === undefined || info.transport !== 'unix') return;
          const id = `${info.unixProcessId}/${info.unixUserId}`;
          if (!byPid.has(id)) byPid.set(id, hooks.host.peerProcess(info.unixProcessId, info.unixUserId).catch(() => undefined));
          found.processes.set(key, (await byPid.get(id)) ?? null);
        }),
      );
      hooks.found(found);
    }
  }

  #forgetGone(): void {
    const listed = new Set(this.hooks.wanted().clients.map(clientKey));
    for (const key of this.#retries.keys()) if (!listed.has(key)) this.#retries.delete(key);
  }

  #schedule(admin: AdminClient): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const next = Math.min(...[...this.#retries.values()].map((r) => r.at));
    if (!Number.isFinite(next) || this.#closed) return;
    this.#retryTimer = setTimeout(() => void this.fill(admin), Math.max(0, next - this.hooks.now()));
    this.#retryTimer.unref();
  }
}
