/**
 * Warnings about what a flood does (connections refused, slow clients
 * dropped), logged without becoming a flood themselves: the first one at
 * once, later ones counted and summed up in one line per interval. The total
 * stays for the operator (the extension program reports it).
 */
import type { Logger } from '../logging/index.js';

export interface WarningText {
  /** The first occurrence: "refused a connection to libvirtd past max_clients + max_queued_clients". */
  one: string;
  /** The summary: n => "refused 37 more connections to libvirtd past …". */
  more: (n: number) => string;
}

export class RateLimitedWarning {
  #total = 0;
  #unlogged = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly text: WarningText,
    private readonly intervalMs = 10_000,
  ) {}

  get total(): number {
    return this.#total;
  }

  /** One more occurrence; `detail` is the state it happened in, read only when a line is written. */
  record(detail: () => string): void {
    this.#total++;
    if (this.#timer) {
      this.#unlogged++;
      return;
    }
    this.logger.warn(`${this.text.one}: ${detail()}`);
    this.#arm(detail);
  }

  #arm(detail: () => string): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#unlogged === 0) return;
      const n = this.#unlogged;
      this.#unlogged = 0;
      this.logger.warn(`${this.text.more(n)} in the last ${this.intervalMs / 1000} s (${this.#total} in all): ${detail()}`);
      this.#arm(detail);
    }, this.intervalMs);
    this.#timer.unref();
  }
}
