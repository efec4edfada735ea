/**
 * At start-up of virtlogd and virtlockd: the state a previous image of this
 * process left (restart-state.ts). The file is deleted whatever it holds, so a
 * later start never mistakes it for its own; a file that cannot be taken over
 * is a warning and a clean start, as with libvirt.
 */
import { readFileSync, rmSync } from 'node:fs';
import { decodeRestartState, type RestartState } from './restart-state.js';

/** libvirt reads at most this much of its JSON; ours is far smaller. */
const MAX_STATE_BYTES = 10 * 1024 * 1024;

export type TakenState = { state?: RestartState; warning?: string; note?: string };

export function takeRestartState(path: string, expect: { pid: number; daemon: string }): TakenState {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { warning: `Ignoring the re-exec state ${path}: ${(err as Error).message}; starting clean` };
  } finally {
    rmSync(path, { force: true });
  }
  if (bytes.length > MAX_STATE_BYTES) return { warning: `Ignoring the re-exec state ${path}: ${bytes.length} bytes is more than ${MAX_STATE_BYTES}; starting clean` };
  const decoded = decodeRestartState(bytes, expect);
  if (!decoded.ok) return { warning: `Ignoring the re-exec state ${path}: ${decoded.reason}; starting clean` };
  const note = decoded.upgradedFrom === undefined ? undefined : `the re-exec state was written by an older build (format version ${decoded.upgradedFrom}) and was upgraded`;
  return { state: decoded.state, note };
}
