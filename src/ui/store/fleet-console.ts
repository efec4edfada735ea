/**
 * The fleet (issue 14): every host of --host or the hosts file, one row each,
 * and which host's console is open. Each host is a FleetHost with its own
 * console store; the fleet keeps only their rows, rebuilt together at most
 * every COALESCE_MS when any host changed (many hosts answering a poll make one frame).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type DiscoveryOptions, type HostEntry, HostPool, type SshSettings } from '../../admin-client/index.js';
import { SSH_ALIVE_INTERVAL_SEC, SSH_BACKOFF_MS } from './console-store.js';
import { FleetHost } from './fleet-host.js';
import type { FleetRow } from './fleet-row.js';

const COALESCE_MS = 50;

export interface Fleet {
  rows: FleetRow[];
  cursor: number;
  /** The host whose console is shown, by index; undefined: the fleet view. */
  open: number | undefined;
  note: string;
  quitRequested: boolean;
  moveCursor(delta: number): void;
  openSelected(): void;
  backToFleet(): void;
  quit(): void;
}

export interface FleetOptions {
  readonly: boolean;
  intervalMs: number;
  ssh?: SshSettings;
  discovery?: DiscoveryOptions;
  screen: () => { rows: number; columns: number };
  /** Where debug captures keep their restore journals. */
  journalDir?: string;
}

export class FleetConsole {
  readonly pool: HostPool;
  readonly hosts: FleetHost[];
  readonly store: StoreApi<Fleet>;
  #timer: NodeJS.Timeout | undefined;

  constructor(entries: HostEntry[], opts: FleetOptions) {
    this.pool = new HostPool({ ssh: { aliveIntervalSec: SSH_ALIVE_INTERVAL_SEC, ...opts.ssh }, reconnect: true, backoffMs: SSH_BACKOFF_MS });
    const changed = () => {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.store.setState({ rows: this.hosts.map((h) => h.row()) });
      }, COALESCE_MS);
    };
    const toFleet = () => this.store.getState().backToFleet();
    this.hosts = entries.map((e) => {
      const host = e.kind === 'local' ? this.pool.local : this.pool.sshHost(e.destination, e.transport);
      // Local discovery options (--system-socket-dir) are this machine's; a remote host's are its own.
      const discovery = e.kind === 'local' ? opts.discovery : undefined;
      return new FleetHost(e, host, { readonly: opts.readonly, intervalMs: opts.intervalMs, discovery, toFleet, screen: opts.screen, changed, journalDir: opts.journalDir });
    });
    this.store = createStore<Fleet>()((set, get) => ({
      rows: this.hosts.map((h) => h.row()),
      cursor: 0,
      open: undefined,
      note: '',
      quitRequested: false,
      moveCursor: (delta) => set({ cursor: Math.max(0, Math.min(this.hosts.length - 1, get().cursor + delta)), note: '' }),
      openSelected: () => {
        const at = get().cursor;
        const host = this.hosts[at];
        if (!host?.store) return set({ note: `${host?.host.name ?? 'this host'}: no console yet (${host?.row().problem ?? 'still connecting'})` });
        host.store.getState().setView('dashboard');
        set({ open: at, note: '' });
      },
      backToFleet: () => {
        // Out of sight, the host polls what its dashboard needs, not a client table nobody sees.
        const open = get().open;
        if (open !== undefined) this.hosts[open]?.store?.getState().setView('dashboard');
        set({ open: undefined, rows: this.hosts.map((h) => h.row()) });
      },
      quit: () => set({ quitRequested: true }),
    }));
  }

  start(): void {
    for (const h of this.hosts) h.start();
  }

  /** Every host's console store fits the screen again. */
  fitScreen(rows: number, columns: number): void {
    for (const h of this.hosts) h.store?.getState().setScreen(rows, columns);
  }

  /** Closes every host (their running captures restored first); resolves with what the restores did, to print. */
  async close(): Promise<string[]> {
    if (this.#timer) clearTimeout(this.#timer);
    const restored = await Promise.all(this.hosts.map((h) => h.close()));
    await this.pool.close();
    return restored.flatMap((r) => r ?? []);
  }
}
