/**
 * Structure-aware mutations of libvirt RPC frames, driven by a seeded PRNG so
 * a failing run can be replayed from its seed. A frame is a 28-byte header
 * (length, prog, vers, proc, type, serial, status) and an XDR body of 4-byte
 * words; mutations aim at what parsers trust: the length word, header fields,
 * counts and lengths inside the body, truncation, extension, splicing and
 * plain garbage. Byte ranges a seed protects (paths that must stay inside the
 * test's directory, a pid the daemon may signal) are never flipped or
 * overwritten in place.
 */

/** mulberry32: small, fast, good enough to explore, and reproducible. */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** 0 <= n < max */
  int(max: number): number {
    return max <= 0 ? 0 : this.next() % max;
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

export interface Seed {
  frame: Buffer;
  /** [start, end) byte ranges that must not be changed in place. */
  protect: readonly (readonly [number, number])[];
}

const INTERESTING = [0, 1, 2, 3, 4, 27, 28, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const HEADER_FIELDS = [4, 8, 12, 16, 20, 24];

function isProtected(seed: Seed, from: number, to: number): boolean {
  return seed.protect.some(([a, b]) => from < b && to > a);
}

function fixLength(frame: Buffer): Buffer {
  if (frame.length >= 4) frame.writeUInt32BE(frame.length >>> 0, 0);
  return frame;
}

type Mutator = (frame: Buffer, seed: Seed, rng: Rng, corpus: readonly Seed[]) => Buffer;


const MUTATORS: readonly Mutator[] = [
  // Bit flips anywhere but protected bytes.
  (f, seed, rng) => {
    for (let n = 1 + rng.int(4); n > 0; n--) {
      const at = rng.int(f.length);
      if (!isProtected(seed, at, at + 1)) f[at]! ^= 1 << rng.int(8);
    }
    return f;
  },
  // A body word (a count, a length, an enum, a flag) set to an interesting value.
  (f, seed, rng) => {
    const words = Math.floor((f.length - 28) / 4);
    if (words <= 0) return f;
    const at = 28 + 4 * rng.int(words);
    if (isProtected(seed, at, at + 4)) return f;
    const old = f.readUInt32BE(at);
    f.writeUInt32BE((rng.pick([...INTERESTING, old + 1, old - 1, rng.next()]) >>> 0) >>> 0, at);
    return f;
  },
  // A header field (program, version, procedure, type, serial, status).
  (f, _seed, rng) => {
    if (f.length < 28) return f;
    const at = rng.pick(HEADER_FIELDS);
    const value = at === 16 ? rng.int(8) : at === 24 ? rng.int(4) : rng.pick([...INTERESTING, rng.next()]);
    f.writeUInt32BE(value >>> 0, at);
    return f;
  },
  // The length word, to anything: short, long, just off, over the maximum.
  (f, _seed, rng) => {
    if (f.length < 4) return f;
    f.writeUInt32BE(rng.pick([0, 4, 27, 28, f.length - 1, f.length + 1, f.length + 4096, 33554436, 33554437, 0xffffffff, rng.next()]) >>> 0, 0);
    return f;
  },
  // Truncated, with the length word told or not.
  (f, _seed, rng) => {
    const cut = f.subarray(0, 4 + rng.int(Math.max(1, f.length - 4)));
    return rng.chance(0.5) ? fixLength(Buffer.from(cut)) : Buffer.from(cut);
  },
  // Extended with junk, with the length word told or not.
  (f, _seed, rng) => {
    const out = Buffer.concat([f, rng.bytes(1 + rng.int(64))]);
    return rng.chance(0.5) ? fixLength(out) : out;
  },
  // One frame's header with another's body (of the same kind of seed: its protected ranges
  // sit at the same offsets, and mutate() keeps them protected from here on).
  (f, _seed, rng, corpus) => {
    const other = rng.pick(corpus);
    spliced = other;
    return fixLength(Buffer.concat([f.subarray(0, Math.min(28, f.length)), other.frame.subarray(Math.min(28, other.frame.length))]));
  },
  // Garbage, framed or not.
  (_f, _seed, rng) => {
    const g = rng.bytes(4 + rng.int(96));
    return rng.chance(0.7) ? fixLength(g) : g;
  },
];

/** Set by the splice mutator: the seed whose body now follows the header. */
let spliced: Seed | undefined;

/** One to three mutations of a copy of the seed's frame. */
export function mutate(seed: Seed, rng: Rng, corpus: readonly Seed[]): Buffer {
  let frame: Buffer = Buffer.from(seed.frame);
  let guard: Seed = seed;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    spliced = undefined;
    frame = rng.pick(MUTATORS)(frame, guard, rng, corpus);
    if (spliced) guard = { frame, protect: [...guard.protect, ...(spliced as Seed).protect] };
  }
  return frame;
}
