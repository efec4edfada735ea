/**
 * A byte relay run as another user: every connection to LISTEN gets its own
 * connection to TARGET, and bytes flow both ways unchanged. A daemon that
 * admits only its own user (a session virtlogd refuses root) can then be
 * driven by a test running as root, through a relay running as that user.
 *
 *   node socket-relay.js LISTEN TARGET     (prints "ready" once listening)
 */
import { chmodSync } from 'node:fs';
import { connect, createServer } from 'node:net';

const [listen, target] = [process.argv[2]!, process.argv[3]!];
const server = createServer((inbound) => {
  const outbound = connect(target);
  inbound.pipe(outbound).pipe(inbound);
  const end = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on('error', end).on('close', end);
  outbound.on('error', end).on('close', end);
});
server.listen(listen, () => {
  chmodSync(listen, 0o777); // the test (root) connects; nobody else is in its temp dir
  process.stdout.write('ready\n');
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
