/**
 * The daemons' log timestamp is toISOString's text, built without toISOString (which makes
 * V8 load ICU's time zone data, see log-time.ts): the same characters for every second tried.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoSecond, isoTime, isoTimestamp } from '../../src/daemons/logging/log-time.js';

const viaToISOString = (s: number) => new Date(s * 1000).toISOString().slice(0, 20);

test('isoSecond writes what toISOString writes, up to the seconds', () => {
  const edges = [
    0, -1, 59, 60, 3599, 3600, 86399, 86400,
    Date.UTC(2000, 1, 29, 23, 59, 59) / 1000, // a leap day at a century divisible by 400
    Date.UTC(2100, 1, 28, 23, 59, 59) / 1000, // and the day after, in a century year that is not leap
    Date.UTC(1999, 11, 31, 23, 59, 59) / 1000,
    Date.UTC(2038, 0, 19, 3, 14, 8) / 1000, // past the 32-bit time_t end
    Date.UTC(9999, 11, 31, 23, 59, 59) / 1000,
    Date.UTC(10000, 0, 1) / 1000, // the ±YYYYYY form, handed to toISOString
    Date.UTC(-1, 11, 31) / 1000,
  ];
  for (const s of edges) assert.equal(isoSecond(s), viaToISOString(s), `second ${s}`);
  // A spread over the years a daemon may meet, one second in each of about 20,000 days.
  for (let s = Date.UTC(1970, 0, 1) / 1000; s < Date.UTC(2100, 0, 1) / 1000; s += 86400 * 2 + 3607) assert.equal(isoSecond(s), viaToISOString(s), `second ${s}`);
});

test("isoTimestamp is pino's time field for now, with milliseconds", () => {
  const before = Date.now();
  const field = isoTimestamp();
  const after = Date.now();
  const m = /^,"time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"$/.exec(field);
  assert.ok(m, field);
  const at = Date.parse(m[1]!);
  assert.ok(at >= before && at <= after, `${m[1]} between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`);
});

test('isoTime writes what toISOString writes, milliseconds included', () => {
  for (const ms of [0, 1, 9, 10, 99, 100, 999, 1000, 1_764_547_200_123, 1_764_547_200_007, 1_764_547_200_040, 4_102_444_799_999]) {
    assert.equal(isoTime(ms), new Date(ms).toISOString(), `ms ${ms}`);
  }
});
