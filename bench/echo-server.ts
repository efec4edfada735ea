/**
 * Node's own floor for a daemon, run as its own process: a bare UNIX-socket
 * server that writes every chunk it reads straight back. A call frame echoed
 * is a reply with the same serial, so the bench's admin caller measures it
 * exactly as it measures a daemon. Prints "READY" once listening.
 *
 *   node echo-server.js SOCKET
 */
import { createServer } from 'node:net';

createServer((s) => {
  s.on('data', (chunk) => s.write(chunk));
  s.on('error', () => {});
}).listen(process.argv[2]!, () => process.stdout.write('READY\n'));
