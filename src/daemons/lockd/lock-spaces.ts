/**
 * virtlockd's state (daemons.md §11): lockspaces (a directory, or "" whose
 * resource names are absolute file paths) and the resources leased in them.
 * A lease is a POSIX lock on byte 0 of the resource file, exclusive or
 * shared, held by this process for the owners (their pids) that acquired it;
 * a file created for the lease (AUTOCREATE) is removed when the last owner
 * releases it.
 */
import { closeSync, constants, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, ErrorDomain, errorsFrom, systemError } from '../../rpc/index.js';
import { lazyAddon } from '../runtime/native-addon.js';
import { errnoOf, strerror } from '../system-errors.js';

const locks = lazyAddon<{ tryLockByte(fd: number, shared: boolean): boolean; unlockByte(fd: number): void }>('filelock');
const fail = errorsFrom(ErrorDomain.Lockspace);

/** A held lease: the locked file's descriptor and the owners (pids) holding it. */
export interface Resource {
  name: string;
  path: string;
  fd: number;
  shared: boolean;
  autoCreated: boolean;
  owners: number[];
}

export class LockSpaceState {
  readonly #resources = new Map<string, Resource>();

  /**
   * Opens (creates) a lockspace; a directory that is missing is made, mode 0700.
   * With `held`, takes over the leases the previous image of this process held
   * (re-exec): same descriptors, so the POSIX locks never lapse.
   */
  constructor(
    readonly directory: string,
    held?: readonly Resource[],
  ) {
    if (held) {
      for (const r of held) this.#resources.set(r.name, { ...r, owners: [...r.owners] });
      return;
    }
    if (!directory) return;
    try {
      if (!statSync(directory).isDirectory()) throw fail(ErrorCode.InternalError, `Lockspace location ${directory} exists, but is not a directory`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      try {
        mkdirSync(directory, { recursive: true, mode: 0o700 });
      } catch (e) {
        throw systemError(ErrorDomain.Lockspace, `Unable to create lockspace ${directory}: ${strerror(e)}`, errnoOf(e));
      }
    }
  }

  #path(name: string): string {
    return this.directory ? join(this.directory, name) : name;
  }

  #busy(name: string): never {
    throw fail(ErrorCode.ResourceBusy, `Lockspace resource '${name}' is locked`);
  }

  acquire(name: string, owner: number, opts: { shared: boolean; autoCreate: boolean }): void {
    const held = this.#resources.get(name);
    if (held) {
      // Shared leases stack; anything else on a held resource is busy, whoever asks.
      if (held.shared && opts.shared) {
        held.owners.push(owner);
        return;
      }
      this.#busy(name);
    }
    const path = this.#path(name);
    let fd: number;
    try {
      fd = openSync(path, opts.autoCreate ? constants.O_RDWR | constants.O_CREAT : constants.O_RDWR, 0o600);
    } catch (err) {
      throw systemError(ErrorDomain.Lockspace, `Unable to open/create resource ${path}: ${strerror(err)}`, errnoOf(err));
    }
    let locked: boolean;
    try {
      locked = locks.tryLockByte(fd, opts.shared);
    } catch (err) {
      closeSync(fd);
      throw systemError(ErrorDomain.Lockspace, `Unable to acquire lock on '${path}': ${(err as Error).message}`, 0);
    }
    if (!locked) {
      closeSync(fd);
      this.#busy(name);
    }
    this.#resources.set(name, { name, path, fd, shared: opts.shared, autoCreated: opts.autoCreate, owners: [owner] });
  }

  release(name: string, owner: number): void {
    const res = this.#resources.get(name);
    if (!res) throw fail(ErrorCode.ResourceBusy, `Lockspace resource '${name}' is not locked`);
    const at = res.owners.indexOf(owner);
    if (at === -1) throw fail(ErrorCode.InternalError, `owner ${owner} does not hold the resource lock`);
    res.owners.splice(at, 1);
    if (res.owners.length === 0) this.#drop(res);
  }

  #drop(res: Resource): void {
    this.#resources.delete(res.name);
    // Unlink while still holding the lock, so nobody else locks a file about to vanish.
    if (res.autoCreated) {
      try {
        unlinkSync(res.path);
      } catch {
        // already gone
      }
    }
    locks.unlockByte(res.fd);
    closeSync(res.fd);
  }

  /** Drops every lease of `owner`; returns how many it held. */
  releaseOwner(owner: number): number {
    let n = 0;
    for (const res of [...this.#resources.values()]) {
      const before = res.owners.length;
      res.owners = res.owners.filter((o) => o !== owner);
      n += before - res.owners.length;
      if (res.owners.length === 0 && before > 0) this.#drop(res);
    }
    return n;
  }

  /** The leases held now, in acquisition order. */
  resources(): Resource[] {
    return [...this.#resources.values()].map((r) => ({ ...r, owners: [...r.owners] }));
  }

  create(name: string): void {
    if (this.#resources.has(name)) this.#busy(name);
    const path = this.#path(name);
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT, 0o600));
    } catch (err) {
      throw systemError(ErrorDomain.Lockspace, `Unable to create resource ${path}: ${strerror(err)}`, errnoOf(err));
    }
  }

  delete(name: string): void {
    if (this.#resources.has(name)) this.#busy(name);
    const path = this.#path(name);
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(ErrorDomain.Lockspace, `Unable to delete resource ${path}: ${strerror(err)}`, errnoOf(err));
    }
  }
}
