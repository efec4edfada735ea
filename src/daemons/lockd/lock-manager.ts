/**
 * All of virtlockd's lockspaces (daemons.md §11.1): "" (absolute paths) is
 * always there; others are made by NEW or CREATE_LOCKSPACE. The leases they
 * hold are listed for the console and carried across a re-exec.
 */
import { ErrorCode, ErrorDomain, errorsFrom } from '../../rpc/index.js';
import { LockSpaceState, type Resource } from './lock-spaces.js';

const rpc = errorsFrom(ErrorDomain.Rpc);

/** One lockspace and its leases, as the next image takes them over. */
export interface SavedLockspace {
  directory: string;
  resources: Resource[];
}

export class LockManager {
  readonly #spaces = new Map<string, LockSpaceState>([['', new LockSpaceState('')]]);

  /** The lockspace at `path`, or libvirt's error for one that does not exist. */
  space(path: string): LockSpaceState {
    const ls = this.#spaces.get(path);
    if (!ls) throw rpc(ErrorCode.InternalError, `Lockspace for path ${path} does not exist`);
    return ls;
  }

  /** NEW: a lockspace that must not exist yet. */
  create(path: string): void {
    if (path === '') throw rpc(ErrorCode.OperationInvalid, 'the default lockspace already exists');
    if (this.#spaces.has(path)) throw rpc(ErrorCode.InternalError, `Lockspace for path ${path} already exists`);
    this.#spaces.set(path, new LockSpaceState(path));
  }

  /** CREATE_LOCKSPACE: idempotent. */
  ensure(path: string): void {
    if (!this.#spaces.has(path)) this.#spaces.set(path, new LockSpaceState(path));
  }

  /** Drops every lease of the owner `pid` in every lockspace; returns how many it held. */
  releaseOwner(pid: number): number {
    let held = 0;
    for (const ls of this.#spaces.values()) held += ls.releaseOwner(pid);
    return held;
  }

  /** Every lockspace with the leases it holds (the default one first). */
  lockspaces(): SavedLockspace[] {
    return [...this.#spaces.values()].map((ls) => ({ directory: ls.directory, resources: ls.resources() }));
  }

  /** The next image takes over the previous one's lockspaces and leases (re-exec). */
  adopt(saved: readonly SavedLockspace[]): void {
    for (const s of saved) this.#spaces.set(s.directory, new LockSpaceState(s.directory, s.resources));
  }
}
