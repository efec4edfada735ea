/**
 * The fuzzer, run as its own process as the daemons' user (a session daemon
 * admits only its own uid). It opens connections, each carrying a few seeds
 * mutated or not, and ends each in one of the ways a hostile or broken peer
 * does: reading its replies, vanishing at once, vanishing mid-frame, half-
 * closing, vanishing mid-reply, or dribbling its bytes. It prints one JSON
 * line of counts when done.
 *
 *   node fuzz-runner.js '{"targets":[{"kind":"admin","socket":"..."}],"cases":50000,"seed":1,"dir":"...","concurrency":24}'
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedsFor, type TargetKind } from './corpus.js';
import { mutate, Rng, type Seed } from './mutate.js';

interface Options {
  targets: { kind: TargetKind; socket: string }[];
  cases: number;
  seed: number;
  dir: string;
  concurrency: number;
}

const opts = JSON.parse(process.argv[2]!) as Options;
const rng = new Rng(opts.seed);
mkdirSync(join(opts.dir, 'logs'), { recursive: true });
mkdirSync(join(opts.dir, 'locks'), { recursive: true });
// virtlockd's seeds name this process as the owner of their leases; at the end it hangs up on
// virtlockd as that owner, which frees them all (and kills it, as virtlockd kills a lost owner).
const lockd = opts.targets.find((t) => t.kind === 'lockd');
const sacrifice = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'lock-owner.js'), lockd?.socket ?? ''], { stdio: ['pipe', 'ignore', 'ignore'] });
const sacrificeGone = new Promise((resolve) => sacrifice.once('exit', resolve));
const targets = opts.targets.map((t) => ({ ...t, seeds: seedsFor(t.kind, { dir: opts.dir, ownerPid: sacrifice.pid! }) }));

const ENDINGS = ['read-then-close', 'vanish', 'vanish-mid-frame', 'half-close', 'vanish-mid-reply', 'dribble'] as const;
type Ending = (typeof ENDINGS)[number];
const stats = { cases: 0, connections: 0, refused: 0, byEnding: Object.fromEntries(ENDINGS.map((e) => [e, 0])) as Record<Ending, number> };

function frames(seeds: readonly Seed[]): Buffer[] {
  return Array.from({ length: 1 + rng.int(12) }, () => {
    const seed = rng.pick(seeds);
    return rng.chance(0.8) ? mutate(seed, rng, seeds) : Buffer.from(seed.frame);
  });
}

/** Resolves when the socket closed, or after `ms` (then it is destroyed). */
function closedWithin(s: Socket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed) return resolve();
    const t = setTimeout(() => {
      s.destroy();
      resolve();
    }, ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function oneConnection(target: (typeof targets)[number]): Promise<void> {
  const out = frames(target.seeds);
  stats.cases += out.length;
  const ending = rng.pick(ENDINGS);
  stats.byEnding[ending]++;
  const bytes = Buffer.concat(out);
  const s = connect(target.socket);
  s.on('error', () => {});
  const connected = await new Promise<boolean>((resolve) => {
    s.once('connect', () => resolve(true));
    s.once('error', () => resolve(false));
  });
  if (!connected) {
    stats.refused++;
    return;
  }
  stats.connections++;
  let received = 0;
  s.on('data', (d: Buffer) => (received += d.length));
  switch (ending) {
    case 'read-then-close':
      s.write(bytes);
      await closedWithin(s, 150);
      s.destroy();
      break;
    case 'vanish':
      s.write(bytes);
      s.destroy();
      break;
    case 'vanish-mid-frame':
      s.write(bytes.subarray(0, rng.int(bytes.length)));
      setImmediate(() => s.destroy());
      break;
    case 'half-close':
      s.end(bytes);
      await closedWithin(s, 1000);
      break;
    case 'vanish-mid-reply': {
      s.write(bytes);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        s.once('data', () => {
          clearTimeout(t);
          resolve();
        });
      });
      s.destroy();
      break;
    }
    case 'dribble':
      for (let at = 0; at < bytes.length && !s.destroyed; ) {
        const n = 1 + rng.int(16);
        s.write(bytes.subarray(at, at + n));
        at += n;
        await new Promise((r) => setImmediate(r));
      }
      await closedWithin(s, 50);
      s.destroy();
      break;
  }
}

async function worker(): Promise<void> {
  while (stats.cases < opts.cases) await oneConnection(rng.pick(targets));
}

await Promise.all(Array.from({ length: opts.concurrency }, () => worker()));
if (lockd) sacrifice.stdin!.end();
else sacrifice.kill();
await sacrificeGone;
process.stdout.write(`${JSON.stringify(stats)}\n`);
