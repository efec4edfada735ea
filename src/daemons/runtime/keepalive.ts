/**
 * Server-side keepalive of one client (wire-protocol.md §9): nothing happens
 * until the client advertised keepalive (REMOTE SUPPORTS_FEATURE 10). Then,
 * after `intervalSec` without any packet from the client, a PING is sent, and
 * again every interval; any packet resets the count; after `count` unanswered
 * PINGs the next silent interval closes the connection, i.e. at
 * interval * (count + 1). interval < 0 disables; count 0 closes after one
 * silent interval without pinging.
 */
export interface KeepaliveSettings {
  intervalSec: number;
  count: number;
}

export class KeepaliveTimer {
  #timer: NodeJS.Timeout | undefined;
  #lastSeen = Date.now();
  #unanswered = 0;

  constructor(
    private readonly settings: KeepaliveSettings,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  get active(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.#timer || this.settings.intervalSec < 0) return;
    this.#lastSeen = Date.now();
    this.#arm(this.settings.intervalSec * 1000);
  }

  /** Any packet from the client. */
  seen(): void {
    this.#lastSeen = Date.now();
    this.#unanswered = 0;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#tick(), Math.max(ms, 1));
    this.#timer.unref();
  }

  #tick(): void {
    const intervalMs = this.settings.intervalSec * 1000;
    const quietMs = Date.now() - this.#lastSeen;
    if (quietMs < intervalMs && this.#unanswered === 0) {
      this.#arm(intervalMs - quietMs);
      return;
    }
    if (this.#unanswered >= this.settings.count) {
      this.stop();
      this.dead();
      return;
    }
    this.#unanswered++;
    this.ping();
    this.#arm(intervalMs);
  }
}
