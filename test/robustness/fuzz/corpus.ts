/**
 * Seeds for the fuzzer: every call libvirt's own clients sent in the real
 * captures, per program. Admin calls that would change what the test checks
 * afterwards (client limits, worker pools, the auto-shutdown timeout, log
 * outputs, which open files; disconnecting a client) are left out; everything
 * else stays, mutated or pristine. virtlogd's and virtlockd's calls carry
 * paths: they are rewritten into the test's directory and protected from
 * in-place mutation, and virtlockd's owner pid becomes a sacrificial process
 * the daemon may kill when a lease holder disconnects.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Admin,
  decodeHeader,
  decodeValue,
  encodeCall,
  frameBody,
  LockSpace,
  LogManager,
  PING_FRAME,
  Program,
  PROGRAM_VERSION,
} from '../../../src/rpc/index.js';
import { GOLDEN_DIR, loadGolden } from '../../helpers/golden.js';
import type { Seed } from './mutate.js';

export type TargetKind = 'admin' | 'remote' | 'logd' | 'lockd';

/** Admin procedures whose effect would outlast the fuzzing and change the baseline. */
const ADMIN_LEFT_OUT = new Set<number>([
  Admin.serverSetThreadpoolParameters.proc,
  Admin.serverSetClientLimits.proc,
  Admin.clientClose.proc,
  Admin.connectSetLoggingOutputs.proc,
  Admin.connectSetDaemonTimeout.proc,
]);

function callsIn(subdir: string): Buffer[] {
  return readdirSync(join(GOLDEN_DIR, subdir))
    .filter((f) => f.endsWith('.hex'))
    .flatMap((f) => loadGolden(`${subdir}/${f}`).frames.filter((fr) => fr.dir === 'C2S').map((fr) => fr.bytes))
    // A raw-client line may hold a deliberately broken frame: keep those too, they are seeds.
    .filter((b) => b.length >= 4);
}

const plain = (frame: Buffer): Seed => ({ frame, protect: [] });

/** Where each of these strings (a path) lies in the frame: the bytes a mutation must not change. */
function rangesOf(frame: Buffer, values: readonly (string | number)[]): [number, number][] {
  return values.map((v) => {
    const bytes = typeof v === 'number' ? Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]) : Buffer.from(v);
    const at = frame.lastIndexOf(bytes);
    if (at === -1) throw new Error(`seed value not found in its frame: ${v}`);
    return [at, at + bytes.length];
  });
}

function logdSeeds(dir: string): Seed[] {
  const inDir = (p: string) => join(dir, 'logs', p.slice(p.lastIndexOf('/') + 1));
  const specs = [LogManager.openLogFile, LogManager.getLogFilePosition, LogManager.readLogFile, LogManager.appendLogFile];
  return loadGolden('virtlogd/virtlogd_proto.hex')
    .frames.filter((f) => f.dir === 'C2S' && decodeHeader(f.bytes).prog === Program.LogManager)
    .flatMap((f) => {
      const h = decodeHeader(f.bytes);
      const spec = specs.find((s) => s.proc === h.proc);
      if (!spec) return [];
      const args = { ...(decodeValue(spec.args, frameBody(f.bytes)) as { path: string }) };
      args.path = inDir(args.path);
      const frame = encodeCall(h.prog, PROGRAM_VERSION, h.proc, h.serial, spec.args as never, args as never);
      return [{ frame, protect: rangesOf(frame, [args.path]) }];
    });
}

function lockdSeeds(dir: string, ownerPid: number): Seed[] {
  const specs: readonly { proc: number; args: unknown }[] = Object.values(LockSpace);
  const inDir = (p: string) => (p === '' ? '' : join(dir, 'locks', p.slice(p.lastIndexOf('/') + 1)));
  return loadGolden('virtlockd/virtlockd_proto.hex')
    .frames.filter((f) => f.dir === 'C2S' && decodeHeader(f.bytes).prog === Program.LockSpace)
    .flatMap((f) => {
      const h = decodeHeader(f.bytes);
      const spec = specs.find((s) => s.proc === h.proc);
      if (!spec) return [];
      const args = { ...(decodeValue(spec.args as never, frameBody(f.bytes)) as Record<string, unknown>) };
      const guarded: (string | number)[] = [];
      if (typeof args.path === 'string') {
        args.path = inDir(args.path);
        if (args.path) guarded.push(args.path as string);
      }
      // With the lockspace "" a resource name is itself an absolute path.
      if (typeof args.name === 'string' && (args.name as string).startsWith('/')) {
        args.name = inDir(args.name as string);
        guarded.push(args.name as string);
      }
      if (args.owner) {
        args.owner = { ...(args.owner as object), pid: ownerPid };
        guarded.push(ownerPid);
      }
      const frame = encodeCall(h.prog, PROGRAM_VERSION, h.proc, h.serial, spec.args as never, args as never);
      return [{ frame, protect: rangesOf(frame, guarded) }];
    });
}

export function seedsFor(kind: TargetKind, opts: { dir: string; ownerPid: number }): Seed[] {
  const ping = plain(Buffer.from(PING_FRAME));
  switch (kind) {
    case 'admin':
      return [
        ...callsIn('admin').filter((b) => b.length < 28 || decodeHeader(b).prog !== Program.Admin || !ADMIN_LEFT_OUT.has(decodeHeader(b).proc)).map(plain),
        ...callsIn('keepalive').map(plain),
        ping,
      ];
    case 'remote':
      return [...callsIn('remote').map(plain), ...callsIn('framing').map(plain), ...callsIn('keepalive').map(plain), ping];
    case 'logd':
      return [...logdSeeds(opts.dir), ping];
    case 'lockd':
      return [...lockdSeeds(opts.dir, opts.ownerPid), ping];
  }
}
