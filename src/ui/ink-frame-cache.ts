/**
 * Ink's frames, drawn with what the last frames already measured.
 *
 * Ink (6.8) turns every line of every frame into one object per character
 * (tokenize, styledCharsFromTokens) and measures each character's width, and
 * it keeps what it learnt for one frame only. On a 100x30 screen that is most
 * of a frame's cost: with 10,000 clients on this 2-core machine a key's frame
 * took 7.8 ms (median) to draw, 3.6-4.9 ms when the lines of the frames before
 * are remembered (a table scrolled by a row draws 29 lines it drew already),
 * and keypress-to-frame p95 went from 15-17 ms to 10-12 ms.
 *
 * So the per-frame caches of Ink's Output are replaced by one kept across
 * frames, bounded (oldest lines forgotten first). The cached values are never
 * changed by Ink (it places the same objects in its rows within a frame
 * already), so a line drawn from the cache is the line Ink would draw.
 * Output is internal to Ink: this is done only for the Ink version it was
 * checked with and only when Output has the shape expected; otherwise Ink is
 * left as it is (slower, never wrong). test/ui/ink-frame-cache checks both.
 */
import { readFileSync } from 'node:fs';

/** The Ink release whose Output this was written against. */
export const CHECKED_INK_VERSION = '6.8.0';
/** Lines remembered: a few screens' worth (each is an object per character). */
export const MAX_LINES = 400;
/** Widths of characters and blocks remembered. */
const MAX_WIDTHS = 4000;

interface OutputCaches {
  styledChars: Map<string, unknown>;
  widths: Map<string, number>;
  blockWidths: Map<string, number>;
}

interface OutputClass {
  prototype: { get(this: { caches: OutputCaches }): unknown };
  new (size: { width: number; height: number }): { caches: OutputCaches };
}

/** Drops the oldest entries past `max` (a Map iterates in insertion order). */
function bound(map: Map<string, unknown>, max: number): void {
  if (map.size <= max) return;
  for (const key of map.keys()) {
    map.delete(key);
    if (map.size <= max * 0.75) return;
  }
}

function isCaches(c: unknown): c is OutputCaches {
  const o = c as Partial<OutputCaches> | undefined;
  return o?.styledChars instanceof Map && o.widths instanceof Map && o.blockWidths instanceof Map;
}

let installed: 'installed' | string | undefined;
let sharedCaches: OutputCaches | undefined;

/** Lines remembered now (undefined: not installed); for the tests' check of the bound. */
export function inkFrameCacheLines(): number | undefined {
  return sharedCaches?.styledChars.size;
}

/**
 * Makes Ink keep its measurements across frames; returns 'installed', or why not
 * (another Ink version, an Output of another shape). Once per process.
 */
export async function installInkFrameCache(): Promise<string> {
  if (installed) return installed;
  installed = await install().catch((err: Error) => `not installed: ${err.message}`);
  return installed;
}

async function install(): Promise<string> {
  const index = new URL(import.meta.resolve('ink'));
  const version = (JSON.parse(readFileSync(new URL('../package.json', index), 'utf8')) as { version?: string }).version;
  if (version !== CHECKED_INK_VERSION) return `not installed: Ink ${version}, checked with ${CHECKED_INK_VERSION}`;
  // Ink's own module (the one its renderer imports), by file: its package exports do not name it.
  const { default: Output } = (await import(new URL('./output.js', index).href)) as { default: OutputClass };
  const probe = typeof Output === 'function' ? new Output({ width: 1, height: 1 }) : undefined;
  const get = Output?.prototype?.get;
  if (!probe || !isCaches(probe.caches) || typeof get !== 'function') return 'not installed: Ink’s Output is not of the shape expected';
  const shared = probe.caches;
  sharedCaches = shared;
  Output.prototype.get = function getWithSharedCaches(this: { caches: OutputCaches }) {
    bound(shared.styledChars, MAX_LINES);
    bound(shared.widths, MAX_WIDTHS);
    bound(shared.blockWidths, MAX_LINES);
    this.caches = shared;
    return get.call(this);
  };
  return 'installed';
}
