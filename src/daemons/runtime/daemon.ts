/**
 * Daemon: one process's servers, its logger, and the auto-shutdown timer
 * (daemons.md §8): the timer runs only while no server has any client, starts
 * when the last one leaves, and is cancelled when one connects. A client that
 * asked (the extension program: a console watching the daemon) does not count:
 * watching a socket-activated daemon must not keep it running for ever.
 */
import type { SettingsEvent } from '../../rpc/index.js';
import type { DaemonLogger } from '../logging/index.js';
import type { DescriptorBudget } from './descriptor-budget.js';
import type { Server } from './server.js';

export interface DaemonIdentity {
  /** The daemon's name, e.g. libvirtd. */
  name: string;
  mode: 'system' | 'session';
}

/** How the process was started: what a console needs to find its config and compare with it. */
export interface LaunchFacts {
  /** The command line after the daemon's name. */
  args: string[];
  /** HOME, XDG_*, LIBVIRT_DEBUG, LIBVIRT_LOG_*: what decides the config path and logging. */
  env: Record<string, string>;
  configFile: string;
  configFound: boolean;
}

export class Daemon {
  readonly name: string;
  readonly mode: 'system' | 'session';
  readonly logger: DaemonLogger;
  readonly #servers = new Map<string, Server>();
  #timeoutSec = 0;
  #timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (ms since the epoch), for a console's countdown. */
  #shutdownAt: number | undefined;
  /** The timeout changed while counting down: start again with the new one. */
  #timeoutChanged = false;
  #stopping: Promise<void> | undefined;
  /** Called when the daemon decides to quit on its own (auto-shutdown). */
  onShutdown: (reason: string) => void = () => {};
  /** Whether something (running guests, open log files) keeps the daemon up though idle. */
  inhibitsShutdown: () => boolean = () => false;
  /** Told when the admin program changes a setting (the extension program pushes it to consoles). */
  readonly settingsListeners = new Set<(change: SettingsEvent) => void>();
  /** The descriptors its servers share, when they are counted (the admin server's reserve). */
  descriptors: DescriptorBudget | undefined;
  /** Set by the process that runs the daemon. */
  launch: LaunchFacts | undefined;

  constructor(identity: DaemonIdentity, logger: DaemonLogger) {
    this.name = identity.name;
    this.mode = identity.mode;
    this.logger = logger;
  }

  addServer(server: Server): void {
    this.#servers.set(server.name, server);
    server.onClientsChanged = () => this.clientsChanged();
  }

  /** A client came, went, or stopped holding the daemon up: the idle timer starts or stops. */
  clientsChanged(): void {
    this.#armShutdownTimer();
  }

  /** When auto-shutdown will happen if nothing changes (ms since the epoch); undefined while it is not counting down. */
  get shutdownAt(): number | undefined {
    return this.#shutdownAt;
  }

  /** Clients that keep the daemon from shutting down when idle. */
  get holdingClientCount(): number {
    let n = 0;
    for (const s of this.#servers.values()) for (const c of s.clients()) if (c.holdsDaemonUp) n++;
    return n;
  }

  servers(): Server[] {
    return [...this.#servers.values()];
  }

  lookupServer(name: string): Server | undefined {
    return this.#servers.get(name);
  }

  get timeoutSec(): number {
    return this.#timeoutSec;
  }

  /** 0 disables auto-shutdown. */
  setTimeout(seconds: number): void {
    this.#timeoutSec = seconds;
    this.#timeoutChanged = true;
    this.#armShutdownTimer();
  }

  settingsChanged(change: SettingsEvent): void {
    for (const listener of this.settingsListeners) listener(change);
  }

  get clientCount(): number {
    let n = 0;
    for (const s of this.#servers.values()) n += s.clientCount;
    return n;
  }

  #armShutdownTimer(): void {
    if (this.#timer) {
      // Already counting down and still idle: it runs on, as libvirt's does (activity does not extend it).
      if (this.#timeoutSec !== 0 && this.holdingClientCount === 0 && !this.#stopping && !this.#timeoutChanged) return;
      clearTimeout(this.#timer);
    }
    this.#timeoutChanged = false;
    const wasAt = this.#shutdownAt;
    this.#timer = undefined;
    this.#shutdownAt = undefined;
    if (this.#timeoutSec === 0 || this.holdingClientCount > 0 || this.#stopping) return this.#idleChanged(wasAt);
    this.#shutdownAt = Date.now() + this.#timeoutSec * 1000;
    this.#idleChanged(wasAt);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#shutdownAt = undefined;
      if (this.holdingClientCount > 0) return;
      if (this.inhibitsShutdown()) {
        this.#armShutdownTimer();
        return;
      }
      this.onShutdown(`idle for ${this.#timeoutSec} s`);
    }, this.#timeoutSec * 1000);
  }

  /** A console showing the countdown hears when it starts or stops. */
  #idleChanged(wasAt: number | undefined): void {
    if (wasAt !== this.#shutdownAt) this.settingsChanged({ what: 'idle' });
  }

  /** Closes every server (services first, then clients). Idempotent. */
  stop(): Promise<void> {
    if (!this.#stopping) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#shutdownAt = undefined;
      this.#stopping = Promise.all(this.servers().map((s) => s.close())).then(() => undefined);
    }
    return this.#stopping;
  }
}
