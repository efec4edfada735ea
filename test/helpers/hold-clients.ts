/**
 * A separate process holding N clients of a daemon's main socket, each having
 * made one call (so the daemon knows its identity), until its stdin closes.
 * Run as the daemon's user: it prints "ready" once all are connected and
 * "closed K" when the daemon drops its K-th client (0-based). A line "drop" on
 * stdin closes the newest client still open and prints "dropped <epoch ms>".
 *
 * With SILENT, that many more clients connect and never make a call (the daemon
 * has no identity for them: libvirt's "No identity information available").
 *
 *   node hold-clients.js SOCKET N [SILENT]
 */
import { RawClient } from './raw-client.js';

const [path, count, silent] = [process.argv[2]!, Number(process.argv[3] ?? 1), Number(process.argv[4] ?? 0)];
const clients: RawClient[] = [];
for (let i = 0; i < count + silent; i++) {
  const c = await RawClient.connect(path);
  if (i < count) await c.remoteCall();
  const index = i;
  c.socket.on('close', () => process.stdout.write(`closed ${index}\n`));
  clients.push(c);
}
process.stdout.write('ready\n');
let buffered = '';
const dropped = new Set<RawClient>();
process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
  buffered += chunk;
  for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
    const line = buffered.slice(0, nl).trim();
    buffered = buffered.slice(nl + 1);
    const victim = line === 'drop' ? clients.filter((c) => !c.closed && !dropped.has(c)).at(-1) : undefined;
    if (victim) {
      dropped.add(victim);
      victim.close();
      process.stdout.write(`dropped ${Date.now()}\n`);
    }
  }
});
process.stdin.on('end', () => {
  for (const c of clients) c.close();
  process.exit(0);
});
