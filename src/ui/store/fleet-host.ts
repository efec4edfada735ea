/**
 * One host of the fleet (issue 14): its Host (this machine, or one over SSH
 * with its one ssh process), and once a daemon there answers, a whole console
 * store for it, the same one a console started on that host alone would have
 * (dashboard, host table, disconnects, limits, logging all go through the
 * host). Each host attaches, polls and fails on its own timers, so a slow or
 * dead host holds up no other. Until the first daemon answers, the host is
 * tried again every interval; the SSH connection itself comes back with its
 * own backoff.
 */
import { type DiscoveredDaemon, type DiscoveryOptions, type Host, type HostEntry, SshHost } from '../../admin-client/index.js';
import { CONSOLE_CONNECT, type ConsoleStore, createConsoleStore, startPolling } from './console-store.js';
import { type FleetRow, type Reach, reachOf, summarizeHost } from './fleet-row.js';
import { type HostWarnings, readHostWarnings } from './host-warnings.js';

/**
 * How often a host's daemons are compared with their config and TLS files for the row's
 * warnings: each look asks every daemon for all its settings and reads files over the host's
 * connection, so far less often than the figures' poll (and a daemon logging at debug is not
 * flooded).
 */
export const WARNINGS_EVERY_MS = 10_000;

export interface FleetHostOptions {
  readonly: boolean;
  intervalMs: number;
  /** Where the host's daemons are looked for (a hosts line's mode narrows it). */
  discovery?: DiscoveryOptions;
  /** Goes back to the fleet view from this host's console. */
  toFleet: () => void;
  /** The screen, for the host's console (rows for tables, columns). */
  screen: () => { rows: number; columns: number };
  /** Called whenever the host's row may have changed. */
  changed: () => void;
  /** Where debug captures keep their restore journals (each names its host). */
  journalDir?: string;
  /** How often drift and certificates are looked at (default WARNINGS_EVERY_MS). */
  warningsEveryMs?: number;
}

/** Why a host has no daemon to attach to: none running, or their admin sockets not ours to open. */
function nothingToAttach(host: string, found: DiscoveredDaemon[]): string {
  const denied = found.filter((d) => d.sockets.some((s) => s.role === 'admin' && s.state === 'denied')).map((d) => `${d.name} (${d.mode})`);
  if (denied.length) return `${host}: no admin socket we may open: permission denied for ${denied.join(', ')} (system daemons need root there)`;
  return `${host}: no daemon running`;
}

export class FleetHost {
  store: ConsoleStore | undefined;
  #problem: string | undefined = undefined;
  #attaching = false;
  #retry: NodeJS.Timeout | undefined;
  #stopPolling: (() => void) | undefined;
  #unsubscribe: (() => void) | undefined;
  #closed = false;
  #row: FleetRow | undefined;
  #warnings: HostWarnings | undefined;
  #warningsTimer: NodeJS.Timeout | undefined;
  #lookingForWarnings = false;

  constructor(
    readonly entry: HostEntry,
    readonly host: Host,
    readonly opts: FleetHostOptions,
  ) {
    if (host instanceof SshHost) host.onState(() => this.#changed());
  }

  /** Starts attaching; returns at once (the host answers when it does). */
  start(): void {
    void this.#attach();
  }

  get #discovery(): DiscoveryOptions {
    return { ...this.opts.discovery, ...(this.entry.modes ? { modes: this.entry.modes } : {}) };
  }

  async #attach(): Promise<void> {
    if (this.#attaching || this.store || this.#closed) return;
    this.#attaching = true;
    try {
      const found = await this.host.discover(this.#discovery);
      const first = found.find((d) => d.running && d.sockets.some((s) => s.role === 'admin' && s.state === 'active'));
      if (!first) throw new Error(nothingToAttach(this.host.name, found));
      const admin = await this.host.connect(first.adminUri, CONSOLE_CONNECT);
      if (this.#closed) return void (await admin.close());
      const store = createConsoleStore(admin, {
        readonly: this.opts.readonly,
        host: this.host,
        discovery: this.#discovery,
        toFleet: this.opts.toFleet,
        ...(this.opts.journalDir ? { journalDir: this.opts.journalDir } : {}),
      });
      const { rows, columns } = this.opts.screen();
      store.getState().setScreen(rows, columns);
      store.getState().setView('dashboard');
      this.store = store;
      this.#problem = undefined;
      this.#unsubscribe = store.subscribe((s, before) => {
        if (s.targets !== before.targets || s.daemons !== before.daemons || s.hostProblem !== before.hostProblem) this.#changed();
      });
      this.#stopPolling = startPolling(store, this.opts.intervalMs);
      // A debug capture on this host left by a console that died: offered for restore here.
      if (!this.opts.readonly) void store.getState().offerLeftovers().catch((err: Error) => store.getState().note(`capture journals: ${err.message}`));
      this.#warningsTimer = setInterval(() => void this.#lookForWarnings(), this.opts.warningsEveryMs ?? WARNINGS_EVERY_MS);
      this.#warningsTimer.unref();
      void this.#lookForWarnings();
      this.#changed();
    } catch (err) {
      this.#problem = err instanceof Error ? err.message : String(err);
      this.#changed();
      if (!this.#closed) {
        this.#retry = setTimeout(() => void this.#attach(), this.opts.intervalMs);
        this.#retry.unref();
      }
    } finally {
      this.#attaching = false;
    }
  }

  /** Drift and certificates of the daemons answering now; a look still under way is not doubled. */
  async #lookForWarnings(): Promise<void> {
    const store = this.store;
    if (!store || this.#lookingForWarnings || this.#closed) return;
    this.#lookingForWarnings = true;
    try {
      // Discovery attaches the host's other daemons shortly after the first: compare them all.
      store.getState().flushTargets();
      const daemons = store.getState().answeringDaemons();
      if (daemons.length === 0) return;
      const warnings = await readHostWarnings(this.host, daemons);
      if (this.#closed) return;
      this.#warnings = warnings;
      this.#changed();
    } finally {
      this.#lookingForWarnings = false;
    }
  }

  #changed(): void {
    this.#row = undefined;
    this.opts.changed();
  }

  /** The host's line in the fleet view. */
  row(): FleetRow {
    if (this.#row) return this.#row;
    const ssh = this.host instanceof SshHost ? this.host : undefined;
    const s = this.store?.getState();
    let reach: Reach;
    let problem: string | undefined;
    if (ssh && ssh.state !== 'connected') {
      // The transport's own failure says most (refused, host key changed, lost...).
      reach = reachOf(ssh.state);
      problem = ssh.lastError?.message ?? this.#problem;
    } else if (s) {
      problem = s.hostProblem;
      reach = problem ? 'down' : 'up';
    } else {
      // Reached, but nothing attached yet: no daemon running there, or its admin socket refused us.
      problem = this.#problem;
      reach = problem ? 'up' : 'connecting';
    }
    const figures = s ? summarizeHost(s) : { daemonsUp: 0, daemonsKnown: 0, clients: 0 };
    this.#row = { spec: this.entry.spec, name: this.host.name, reach, problem, ...figures, ...(this.#warnings ? { warnings: this.#warnings } : {}) };
    return this.#row;
  }

  /**
   * Ends the host's console: a debug capture running there is ended and its daemons put back
   * first (resolves with what became of each, to print), then the connections close.
   */
  async close(): Promise<string[] | undefined> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#warningsTimer) clearInterval(this.#warningsTimer);
    this.#stopPolling?.();
    this.#unsubscribe?.();
    const restored = await this.store?.getState().stopCapture('quit');
    await this.store?.getState().stopLiveLog();
    await this.store?.getState().closeHost();
    await this.host.close();
    return restored && [`${this.host.name}:`, ...restored];
  }
}
