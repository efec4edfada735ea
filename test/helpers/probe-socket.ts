/**
 * Run as another user: connects to a UNIX socket, writes a byte and prints
 * `closed` if the daemon hangs up (or resets) within two seconds, `open`
 * otherwise, `error …` if it could not connect at all.
 *
 *   node probe-socket.js SOCKET
 */
import { connect } from 'node:net';

const socket = connect(process.argv[2]!);
const report = (what: string) => {
  process.stdout.write(`${what}\n`);
  process.exit(0);
};
socket.on('connect', () => socket.write(Buffer.alloc(1)));
let connected = false;
socket.on('connect', () => (connected = true));
socket.on('error', (err) => report(connected ? 'closed' : `error ${err.message}`));
socket.on('close', () => report('closed'));
setTimeout(() => report('open'), 2000);
