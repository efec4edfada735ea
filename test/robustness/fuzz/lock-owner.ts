/**
 * The sacrificial lock owner of the fuzzer: virtlockd's seeds register this
 * process's pid as the owner of the leases they take, from other processes'
 * connections, which (as in libvirt) leaves those leases held for the owner.
 * When its stdin closes, it connects to virtlockd itself, registers as that
 * owner and hangs up: virtlockd then drops every lease the owner held and,
 * since there were some, kills it. Either way it is gone afterwards.
 *
 *   node lock-owner.js VIRTLOCKD_SOCKET
 */
import { randomBytes } from 'node:crypto';
import { LockSpace, Program } from '../../../src/rpc/index.js';
import { RawClient } from '../../helpers/raw-client.js';

process.stdin.resume();
process.stdin.on('end', async () => {
  const c = await RawClient.connect(process.argv[2]!);
  c.send(Program.LockSpace, LockSpace.register.proc, LockSpace.register.args, {
    owner: { uuid: randomBytes(16), name: 'fuzz-owner', id: 1, pid: process.pid },
    flags: 0,
  });
  await c.next();
  c.close();
  // Not killed: it held nothing.
  setTimeout(() => process.exit(0), 3000);
});
