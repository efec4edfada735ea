/**
 * The load half of `npm run bench`, run as the daemon's own user (admin
 * sockets admit only that uid): admin round trips one at a time, throughput
 * with 32 calls in flight, and client-list with N idle clients connected.
 * Prints "READY <n>" once the clients are connected and waits for a line on
 * stdin, so the orchestrator can read the daemon's memory; then prints JSON.
 */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { Admin, encodeCall, Program } from '../src/rpc/index.js';
import { Caller, listServers, open } from './admin-caller.js';

const [adminPath, mainPath, clientsText, burstText] = process.argv.slice(2) as [string, string, string, string];
const nClients = Number(clientsText);
const burstSize = Number(burstText ?? 10000);

/**
 * `n` connects started in the same instant, no retry: how many the daemon's
 * listen queue refused (EAGAIN on a full backlog), and how long until all the
 * others had connected.
 */
async function burst(n: number): Promise<{ refused: number; connectedMs: number }> {
  let refused = 0;
  const sockets: Socket[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve) => {
          const s = connect(mainPath);
          s.once('connect', () => {
            sockets.push(s);
            resolve();
          });
          s.once('error', () => {
            refused++;
            resolve();
          });
        }),
    ),
  );
  const connectedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const s of sockets) s.destroy();
  return { refused, connectedMs };
}

const listClients = (serial: number) =>
  encodeCall(Program.Admin, 1, Admin.serverListClients.proc, serial, Admin.serverListClients.args, { srv: { name: 'libvirtd' }, needResults: 1, flags: 0 });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const caller = new Caller(await open(adminPath));
  for (let i = 0; i < 200; i++) await caller.call(listServers); // warm up

  const rtts: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = process.hrtime.bigint();
    await caller.call(listServers);
    rtts.push(Number(process.hrtime.bigint() - t) / 1000);
  }

  const total = 20000;
  let sent = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (sent < total) {
        sent++;
        await caller.call(listServers);
      }
    }),
  );
  const inflightSec = Number(process.hrtime.bigint() - t0) / 1e9;

  const idle: Socket[] = [];
  for (let i = 0; i < nClients; i += 50) {
    idle.push(...(await Promise.all(Array.from({ length: Math.min(50, nClients - i) }, () => open(mainPath)))));
  }
  // Let the daemon accept them all before measuring.
  await new Promise((r) => setTimeout(r, 500));
  process.stdout.write(`READY ${idle.length}\n`);
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

  const listTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    await caller.call(listClients);
    listTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  for (const s of idle) s.destroy();
  await new Promise((r) => setTimeout(r, 1000));
  const burstResult = await burst(burstSize);
  process.stdout.write(
    JSON.stringify({
      rttMedianUs: median(rtts),
      callsPerSec32InFlight: total / inflightSec,
      clientListMs: median(listTimes),
      clients: idle.length,
      burst: burstSize,
      burstRefused: burstResult.refused,
      burstConnectedMs: burstResult.connectedMs,
    }) + '\n',
  );
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
