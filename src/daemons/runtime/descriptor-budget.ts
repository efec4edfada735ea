/**
 * Keeps file descriptors for the admin server when the main sockets are
 * flooded. At the descriptor limit libuv accepts and drops every pending
 * connection (its EMFILE trick), the operator's admin connection among them,
 * at the moment they most need it. So connections to the main servers may
 * use descriptors only up to the limit less a reserve; past that they are
 * closed at once (and counted), which keeps the reserve free for admin.
 *
 * Counting /proc/self/fd on every accept would cost too much under a flood:
 * the count is estimated from how many connections the servers hold now against
 * how many they held at the last exact count, and counted exactly again only
 * near the limit.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept for admin clients and the daemon's own use (log files, pipes, leases). */
export const ADMIN_DESCRIPTOR_RESERVE = 32;
/** Within this many descriptors of the line, the estimate is replaced by an exact count. */
const RECOUNT_MARGIN = 64;
const RECOUNT_EVERY_MS = 50;

/** The soft RLIMIT_NOFILE (Node has no getrlimit); Infinity when unlimited or unknown. */
export function descriptorLimit(limitsFile = '/proc/self/limits'): number {
  try {
    const m = /^Max open files\s+(\S+)/m.exec(readFileSync(limitsFile, 'utf8'));
    return m && m[1] !== 'unlimited' ? Number(m[1]) : Infinity;
  } catch {
    return Infinity;
  }
}

export class DescriptorBudget {
  readonly limit: number;
  readonly reserve: number;
  /** The last exact count, and how many connections the servers held then. */
  #exact: number;
  #connectionsAtExact: number;
  #countedAt = 0;
  readonly #count: () => number;
  readonly #now: () => number;
  /** How many connections the servers hold now (clients and those waiting to be admitted). */
  connections: () => number = () => 0;

  constructor(opts: { limit?: number; reserve?: number; count?: () => number; now?: () => number } = {}) {
    this.limit = opts.limit ?? descriptorLimit();
    this.reserve = opts.reserve ?? ADMIN_DESCRIPTOR_RESERVE;
    this.#count = opts.count ?? (() => readdirSync('/proc/self/fd').length);
    this.#now = opts.now ?? Date.now;
    this.#exact = this.#count();
    this.#connectionsAtExact = 0;
    this.#countedAt = this.#now();
  }

  /** Descriptors in use, as best known now. */
  get inUse(): number {
    return this.#exact + this.connections() - this.#connectionsAtExact;
  }

  /** Whether a connection to a main server, just accepted (and not yet held by a server), may keep its descriptor. */
  mayKeepMainConnection(): boolean {
    const line = this.limit - this.reserve;
    if (this.inUse + 1 + RECOUNT_MARGIN >= line && this.#now() - this.#countedAt >= RECOUNT_EVERY_MS) this.recount();
    return this.inUse + 1 <= line;
  }

  recount(): void {
    this.#exact = this.#count();
    this.#connectionsAtExact = this.connections();
    this.#countedAt = this.#now();
  }
}
