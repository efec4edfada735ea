/**
 * The bench's round-trip probe: attaches to an admin URI (this machine's or
 * `NAME+ssh://`) as the console does, then times `rounds` x `calls` admin
 * calls one at a time; prints one JSON line: the attach time and each
 * round's median and p95 in microseconds. Run as the daemon's user for a local
 * session socket, as anyone with the ssh config for a remote one.
 */
import { HostPool } from '../src/admin-client/index.js';

const [uri, calls, rounds, sshConfig] = process.argv.slice(2) as [string, string, string, string | undefined];
const pool = new HostPool({ ssh: sshConfig ? { configFile: sshConfig } : {} });
const t0 = performance.now();
const admin = await pool.hostFor(uri).connect(uri);
const attachMs = performance.now() - t0;
const results: { medianUs: number; p95Us: number }[] = [];
for (let r = 0; r < Number(rounds); r++) {
  const times: number[] = [];
  for (let i = 0; i < Number(calls); i++) {
    const start = performance.now();
    await admin.listServers();
    times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  results.push({ medianUs: times[Math.floor(times.length / 2)]!, p95Us: times[Math.floor(times.length * 0.95)]! });
}
await admin.close();
await pool.close();
console.log(JSON.stringify({ attachMs, rounds: results }));
