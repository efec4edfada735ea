/**
 * The state file a helper daemon hands to its next image on SIGUSR1
 * (daemons.md §10.3, §11.3). libvirt writes JSON stamped with its pid; ours
 * is msgpack (docs/architecture.md), stamped with the format's version, the pid and the
 * daemon's name, beside the pid file as `<daemon>-restart-exec.msgpack`.
 *
 * The next image reads it, deletes it, and takes it over only if the same
 * process wrote it (a file left by another process names descriptors that
 * are not ours) with a version this build reads; otherwise it says why and
 * starts clean, as libvirt does. Every version ever released stays readable:
 * an older one is upgraded step by step (UPGRADES), and each has a fixture in
 * test/fixtures/restart-state/ that must keep decoding.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SavedLockspace } from '../lockd/lock-manager.js';
import type { OpenLogRecord } from '../logd/log-handler.js';
import type { SavedServer } from './runtime-handoff.js';
import { checkDuties, checkServers, fail, isInt, isObject, isString } from './restart-state-checks.js';

export const RESTART_STATE_FORMAT = 'virtd-restart-state';
/** Bump when the layout changes; add an upgrade from the previous version and a fixture. */
export const RESTART_STATE_VERSION = 1;

/** What a helper hands its next image besides the runtime: virtlogd's open logs, virtlockd's lockspaces. */
export interface DutiesHandoff {
  logs?: OpenLogRecord[];
  lockspaces?: SavedLockspace[];
}

export interface RestartState {
  format: typeof RESTART_STATE_FORMAT;
  version: typeof RESTART_STATE_VERSION;
  /** The process that wrote it; only that process (after exec) may take it over. */
  pid: number;
  daemon: string;
  /** Milliseconds since the epoch, for the log line. */
  writtenAtMs: number;
  /** The locked pid file's descriptor: never closed, so the lock never lapses. */
  pidFile: { path: string; fd: number };
  servers: SavedServer[];
  duties: DutiesHandoff;
}

/** Older layouts, each turned into the next one (none yet: version 1 is the first). */
const UPGRADES: Readonly<Record<number, (old: Record<string, unknown>) => Record<string, unknown>>> = {};

let msgpack: typeof import('msgpackr') | undefined;
const codec = () => (msgpack ??= createRequire(import.meta.url)('msgpackr') as typeof import('msgpackr'));

/** Where the state goes: beside the pid file, as libvirt puts its JSON (`/run/virtlogd-restart-exec.json`). */
export function restartStatePath(pidFilePath: string, daemon: string): string {
  return join(dirname(pidFilePath), `${daemon}-restart-exec.msgpack`);
}

export function encodeRestartState(state: RestartState): Buffer {
  return codec().pack(state);
}

export type DecodedState = { ok: true; state: RestartState; upgradedFrom?: number } | { ok: false; reason: string };

/** Reads and checks a state file's bytes; never throws. */
export function decodeRestartState(bytes: Buffer, expect: { pid: number; daemon: string }): DecodedState {
  let raw: unknown;
  try {
    raw = codec().unpack(bytes);
  } catch (err) {
    return { ok: false, reason: `it is not msgpack (${(err as Error).message})` };
  }
  try {
    if (!isObject(raw) || raw.format !== RESTART_STATE_FORMAT) fail(`it is not a ${RESTART_STATE_FORMAT} file`);
    let doc = raw as Record<string, unknown>;
    const written = doc.version;
    if (!isInt(written) || written < 1) fail(`its format version ${String(written)} is not one this build knows`);
    if (written > RESTART_STATE_VERSION) fail(`it was written by a newer build (format version ${written}; this build reads up to ${RESTART_STATE_VERSION})`);
    for (let v = written; v < RESTART_STATE_VERSION; v++) doc = { ...UPGRADES[v]!(doc), version: v + 1 };
    if (doc.daemon !== expect.daemon) fail(`it belongs to ${String(doc.daemon)}, not ${expect.daemon}`);
    if (doc.pid !== expect.pid) fail(`it was written by pid ${String(doc.pid)}, and this is pid ${expect.pid}`);
    const state = check(doc);
    return written === RESTART_STATE_VERSION ? { ok: true, state } : { ok: true, state, upgradedFrom: written };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

function check(doc: Record<string, unknown>): RestartState {
  if (!isInt(doc.writtenAtMs)) fail('writtenAtMs is missing');
  const pf = doc.pidFile;
  if (!isObject(pf) || !isString(pf.path) || !isInt(pf.fd) || pf.fd < 0) fail('pidFile is malformed');
  checkServers(doc.servers);
  checkDuties(doc.duties);
  return doc as unknown as RestartState;
}
