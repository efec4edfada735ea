/**
 * pino's timestamp for the daemons' logs: UTC ISO 8601 with milliseconds, as
 * `,"time":"2026-11-24T00:40:01.437Z"`. `new Date().toISOString()` for every line was
 * the biggest single cost of a busy daemon's logging; the date and time up to the second
 * change once a second, so they are kept and only the milliseconds are written anew.
 */
let second = -1;
let prefix = '';

export function isoTimestamp(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== second) {
    second = s;
    prefix = `,"time":"${isoSecond(s)}`;
  }
  return `${prefix}${threeDigits(now - s * 1000)}Z"`;
}

/** `2026-11-24T00:40:01.437Z` for a time in milliseconds since the epoch, as toISOString writes it. */
export function isoTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${isoSecond(s)}${threeDigits(ms - s * 1000)}Z`;
}

const threeDigits = (n: number) => `${n < 10 ? '00' : n < 100 ? '0' : ''}${n}`;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `2026-11-24T00:40:01.` for a time in whole seconds since the epoch, read with the getUTC*
 * methods. Not toISOString: V8 (Node 20) works out the host's time zone offset for it even
 * though it prints UTC, and that first look-up loads ICU's time zone data, about 1 MiB of an
 * idle daemon's RSS (pino takes a timestamp as the logger is made, so every daemon paid it).
 */
export function isoSecond(seconds: number): string {
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  // toISOString's form for years outside 0..9999 (±YYYYYY) is not needed by any clock we run under.
  if (year < 0 || year > 9999) return d.toISOString().slice(0, 20);
  return `${String(year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.`;
}
