/**
 * Daemon: one process's servers, its logger, and the auto-shutdown timer
 * (daemons.md §8): the timer runs only while no server has any client, starts
 * when the last one leaves, and is cancelled when one connects.
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

export class Daemon {
  readonly name: string;
  readonly mode: 'system' | 'session';
  readonly logger: DaemonLogger;
  readonly #servers = new Map<string, Server>();
  #timeoutSec = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;
  /** Called when the daemon decides to quit on its own (auto-shutdown). */
  onShutdown: (reason: string) => void = () => {};
  /** Whether something (running guests, open log files) keeps the daemon up though idle. */
  inhibitsShutdown: () => boolean = () => false;
  /** Told when the admin program changes a setting (the extension program pushes it to consoles). */
  readonly settingsListeners = new Set<(change: SettingsEvent) => void>();
  /** The descriptors its servers share, when they are counted (the admin server's reserve). */
  descriptors: DescriptorBudget | undefined;

  constructor(identity: DaemonIdentity, logger: DaemonLogger) {
    this.name = identity.name;
    this.mode = identity.mode;
    this.logger = logger;
  }

  addServer(server: Server): void {
    this.#servers.set(server.name, server);
    server.onClientsChanged = () => this.#armShutdownTimer();
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
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#timeoutSec === 0 || this.clientCount > 0 || this.#stopping) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.clientCount > 0) return;
      if (this.inhibitsShutdown()) {
        this.#armShutdownTimer();
        return;
      }
      this.onShutdown(`idle for ${this.#timeoutSec} s`);
    }, this.#timeoutSec * 1000);
  }

  /** Closes every server (services first, then clients). Idempotent. */
  stop(): Promise<void> {
    if (!this.#stopping) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#stopping = Promise.all(this.servers().map((s) => s.close())).then(() => undefined);
    }
    return this.#stopping;
  }
}
