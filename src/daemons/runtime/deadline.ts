/**
 * A one-shot timer that is either armed or not: the limits we put on slow
 * clients (an incomplete packet held too long, authentication not finished in
 * time). Arming an armed deadline keeps the earlier expiry; 0 seconds means
 * the limit is off.
 */
export class Deadline {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly seconds: number,
    private readonly expired: () => void,
  ) {}

  get armed(): boolean {
    return this.#timer !== undefined;
  }

  arm(): void {
    if (this.seconds <= 0 || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.expired();
    }, this.seconds * 1000);
    this.#timer.unref();
  }

  disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
