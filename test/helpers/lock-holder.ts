/**
 * A process that takes a lease from virtlockd as its own owner, then loses its
 * connection while staying alive, as a guest whose lock manager link broke:
 *
 *   node lock-holder.js SOCKET LOCKSPACE RESOURCE [keep]
 *
 * prints "held" once the lease is granted, then drops the connection and waits
 * (with `keep`, keeps the connection: an owner whose lease stays).
 */
import { encodeCall, LockAcquire, LockSpace, Program, PROGRAM_VERSION } from '../../src/rpc/index.js';
import { RawClient } from './raw-client.js';

const [socket, lockspace, resource, keep] = process.argv.slice(2) as [string, string, string, string | undefined];
const c = await RawClient.connect(socket);
const call = <A>(spec: { proc: number; args: { encode: unknown } }, serial: number, args: A) =>
  c.write(encodeCall(Program.LockSpace, PROGRAM_VERSION, spec.proc, serial, spec.args as never, args));
call(LockSpace.register, 1, { owner: { uuid: Buffer.alloc(16, 7), name: 'holder', id: 1, pid: process.pid }, flags: 0 });
await c.next();
call(LockSpace.createLockspace, 2, { path: lockspace });
await c.next();
call(LockSpace.acquireResource, 3, { path: lockspace, name: resource, flags: LockAcquire.AutoCreate });
const reply = await c.next();
if (!reply || reply.readInt32BE(24) !== 0) {
  process.stdout.write('refused\n');
  process.exit(1);
}
process.stdout.write('held\n');
if (keep !== 'keep') c.close();
setInterval(() => {}, 1000);
