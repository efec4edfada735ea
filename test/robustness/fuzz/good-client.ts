/**
 * A well-behaved admin client, run as its own process beside the fuzzer: it
 * lists the daemon's servers every 20 ms and times each answer. When its
 * stdin closes it prints `{"calls":N,"maxMs":M,"failures":F}`.
 *
 *   node good-client.js ADMIN_SOCKET
 */
import { Admin, decodeHeader, MessageStatus, Program } from '../../../src/rpc/index.js';
import { RawClient } from '../../helpers/raw-client.js';

const client = await RawClient.connect(process.argv[2]!);
const stats = { calls: 0, maxMs: 0, failures: 0 };
let running = true;
process.stdin.on('data', () => {});
process.stdin.on('end', () => (running = false));

// Connected and past a first call before the test takes its baseline.
client.send(Program.Admin, Admin.connectOpen.proc, Admin.connectOpen.args, { flags: 0 });
await client.next();
process.stdout.write('ready\n');
while (running) {
  const started = performance.now();
  client.send(Program.Admin, Admin.connectListServers.proc, Admin.connectListServers.args, { needResults: 1, flags: 0 });
  const reply = await client.next(5000);
  const ms = performance.now() - started;
  stats.calls++;
  stats.maxMs = Math.max(stats.maxMs, ms);
  if (!reply || decodeHeader(reply).status !== MessageStatus.Ok) stats.failures++;
  if (client.closed) break;
  await new Promise((r) => setTimeout(r, 20));
}
process.stdout.write(`${JSON.stringify(stats)}\n`);
client.close();
