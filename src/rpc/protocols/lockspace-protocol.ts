/**
 * virtlockd's program (0x0EA7BEEF v1, daemons.md §11.1): lock owners, lockspaces
 * (directories, or "" for absolute paths) and resources leased in them. Every
 * procedure returns nothing; strings are at most 65536 bytes.
 */
import { fixedOpaque, string, struct, uint, voidCodec } from '../codec.js';
import { procedure } from './procedure.js';

const str = string(65536);

export interface LockOwner {
  uuid: Buffer;
  name: string;
  id: number;
  pid: number;
}

export const lockOwner = struct<LockOwner>({ uuid: fixedOpaque(16), name: str, id: uint, pid: uint });

const resourceArgs = struct<{ path: string; name: string; flags: number }>({ path: str, name: str, flags: uint });

/** ACQUIRE_RESOURCE flags. */
export const LockAcquire = { Shared: 1, AutoCreate: 2 } as const;

export const LockSpace = {
  register: procedure(1, 'REGISTER', struct<{ owner: LockOwner; flags: number }>({ owner: lockOwner, flags: uint }), voidCodec),
  restrict: procedure(2, 'RESTRICT', struct<{ flags: number }>({ flags: uint }), voidCodec),
  new: procedure(3, 'NEW', struct<{ path: string; flags: number }>({ path: str, flags: uint }), voidCodec),
  createResource: procedure(4, 'CREATE_RESOURCE', resourceArgs, voidCodec),
  deleteResource: procedure(5, 'DELETE_RESOURCE', resourceArgs, voidCodec),
  acquireResource: procedure(6, 'ACQUIRE_RESOURCE', resourceArgs, voidCodec),
  releaseResource: procedure(7, 'RELEASE_RESOURCE', resourceArgs, voidCodec),
  createLockspace: procedure(8, 'CREATE_LOCKSPACE', struct<{ path: string }>({ path: str }), voidCodec),
} as const;
