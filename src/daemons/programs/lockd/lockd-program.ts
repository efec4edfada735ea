/**
 * virtlockd's program (0x0EA7BEEF v1, daemons.md §11.1), with the order of
 * checks the real daemon shows: flags first, then a restricted connection,
 * then an owner that has not registered, then the lockspace. When a client
 * whose own pid is its registered owner's goes away, the owner's leases are
 * released, and an owner that still held any is killed: a process that lost
 * its lock manager must not go on writing to disks it no longer holds.
 */
import { ErrorCode, ErrorDomain, errorsFrom, LockAcquire, LockSpace, type LockOwner, Program, PROGRAM_VERSION, unsupportedFlags } from '../../../rpc/index.js';
import type { LockManager } from '../../lockd/lock-manager.js';
import type { Logger } from '../../logging/index.js';
import { type CallContext, entry, Program as RuntimeProgram, type ServerClient } from '../../runtime/index.js';

const rpc = errorsFrom(ErrorDomain.Rpc);

interface ClientState {
  owner?: LockOwner;
  restricted: boolean;
}

/** SIGTERM, then SIGKILL if the owner is still there after ~1.6 s (daemons.md §11.1). */
function killOwner(pid: number, log: Logger): void {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  log.warn(`lock owner ${pid} lost its connection while holding leases: sent SIGTERM`);
  let polls = 0;
  const timer = setInterval(() => {
    if (!alive()) return clearInterval(timer);
    if (++polls === 8) {
      log.warn(`lock owner ${pid} is still running: sending SIGKILL`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    if (polls >= 15) clearInterval(timer);
  }, 200);
  timer.unref();
}

export function createLockdProgram(locks: LockManager, log: Logger): RuntimeProgram {
  const clients = new WeakMap<ServerClient, ClientState>();
  const state = (client: ServerClient): ClientState => {
    let s = clients.get(client);
    if (!s) clients.set(client, (s = { restricted: false }));
    return s;
  };
  const checks = (ctx: CallContext, flags: number, allowed: number, fn: string, needOwner = true): { s: ClientState; owner: LockOwner } => {
    if ((flags & ~allowed) !== 0) throw unsupportedFlags(ErrorDomain.Rpc, flags, fn);
    const s = state(ctx.client);
    if (s.restricted) throw rpc(ErrorCode.OperationDenied, 'lock manager connection has been restricted');
    if (needOwner && !s.owner) throw rpc(ErrorCode.OperationInvalid, 'lock owner details have not been registered');
    return { s, owner: s.owner! };
  };
  const space = (path: string) => locks.space(path);

  const onClose = (client: ServerClient) => {
    const owner = clients.get(client)?.owner;
    if (!owner || client.peer?.pid !== owner.pid) return;
    if (locks.releaseOwner(owner.pid) > 0) killOwner(owner.pid, log);
  };

  const program = new RuntimeProgram(Program.LockSpace, PROGRAM_VERSION, ErrorDomain.Rpc, [
    entry(LockSpace.register, ({ owner, flags }, ctx) => {
      const { s } = checks(ctx, flags, 0, 'virLockSpaceProtocolDispatchRegister', false);
      if (s.owner) throw rpc(ErrorCode.OperationInvalid, 'lock owner details have already been registered');
      if (owner.id === 0) throw rpc(ErrorCode.OperationInvalid, 'lock owner details have not been registered');
      s.owner = owner;
      ctx.client.whenClosed(() => onClose(ctx.client));
    }),
    entry(LockSpace.restrict, ({ flags }, ctx) => {
      checks(ctx, flags, 0, 'virLockSpaceProtocolDispatchRestrict').s.restricted = true;
    }),
    entry(LockSpace.new, ({ path, flags }, ctx) => {
      checks(ctx, flags, 0, 'virLockSpaceProtocolDispatchNew');
      locks.create(path);
    }),
    entry(LockSpace.createResource, ({ path, name, flags }, ctx) => {
      checks(ctx, flags, 0, 'virLockSpaceProtocolDispatchCreateResource');
      space(path).create(name);
    }),
    entry(LockSpace.deleteResource, ({ path, name, flags }, ctx) => {
      checks(ctx, flags, 0, 'virLockSpaceProtocolDispatchDeleteResource');
      space(path).delete(name);
    }),
    entry(LockSpace.acquireResource, ({ path, name, flags }, ctx) => {
      const { owner } = checks(ctx, flags, LockAcquire.Shared | LockAcquire.AutoCreate, 'virLockSpaceProtocolDispatchAcquireResource');
      space(path).acquire(name, owner.pid, { shared: (flags & LockAcquire.Shared) !== 0, autoCreate: (flags & LockAcquire.AutoCreate) !== 0 });
    }),
    entry(LockSpace.releaseResource, ({ path, name, flags }, ctx) => {
      const { owner } = checks(ctx, flags, 0, 'virLockSpaceProtocolDispatchReleaseResource');
      space(path).release(name, owner.pid);
    }),
    entry(LockSpace.createLockspace, ({ path }, ctx) => {
      if (state(ctx.client).restricted) throw rpc(ErrorCode.OperationDenied, 'lock manager connection has been restricted');
      locks.ensure(path);
    }),
  ]);
  // A registered owner and a restriction belong to the connection: they cross a re-exec with it.
  program.clientHandoff = {
    save: (client) => {
      const s = clients.get(client);
      return s && (s.owner || s.restricted) ? { owner: s.owner, restricted: s.restricted } : undefined;
    },
    restore: (client, saved) => {
      const s = (saved ?? {}) as { owner?: Partial<LockOwner>; restricted?: unknown };
      const o = s.owner;
      const owner = o && Buffer.isBuffer(o.uuid) && typeof o.name === 'string' && Number.isInteger(o.id) && Number.isInteger(o.pid) ? (o as LockOwner) : undefined;
      if (o && !owner) log.warn(`client ${client.id}: the lock owner carried across the re-exec is malformed; the connection is unregistered`);
      clients.set(client, { owner, restricted: s.restricted === true });
      if (owner) client.whenClosed(() => onClose(client));
    },
  };
  return program;
}
