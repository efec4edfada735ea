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
    prefix = `,"time":"${new Date(s * 1000).toISOString().slice(0, 20)}`;
  }
  const ms = now - s * 1000;
  return `${prefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}
