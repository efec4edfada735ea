/**
 * The load half of the daemons bench, run as its own process as the daemon's
 * user (admin sockets admit only that uid). One phase per run, each printing
 * one JSON line; phases that need the orchestrator to look at the daemon
 * meanwhile print a word (READY, SETTLED) and wait for a line on stdin.
 *
 *   calls ADMIN                 round trips one at a time, then 32 in flight
 *   idle ADMIN MAIN N           N idle clients; READY; client-list of them; IDLE; close
 *   burst MAIN N                N connects in the same instant, no retry
 *   churn MAIN C K              1,000 connect/close cycles; SETTLED; C more and K calls
 *
 * Against Node's echo floor (bench/echo-server.ts), ADMIN and MAIN are the echo socket:
 * an echoed call is a reply with its own serial.
 */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { Admin, encodeCall, Program, PROGRAM_VERSION, Remote, voidCodec } from '../src/rpc/index.js';
import { Caller, listServers, open } from './admin-caller.js';

const [phase, ...args] = process.argv.slice(2) as [string, ...string[]];
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const nextLine = async () => void (await lines.next());
const print = (o: unknown) => process.stdout.write(`${typeof o === 'string' ? o : JSON.stringify(o)}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const elapsedMs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function calls(adminPath: string): Promise<void> {
  const caller = new Caller(await open(adminPath));
  for (let i = 0; i < 500; i++) await caller.call(listServers); // warm up both sides' JIT
  const rtts: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = process.hrtime.bigint();
    await caller.call(listServers);
    rtts.push(elapsedMs(t) * 1000);
  }
  const total = 30000;
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
  print({ rttMedianUs: median(rtts), callsPerSec32InFlight: total / (elapsedMs(t0) / 1000) });
}

async function openMany(path: string, n: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 100) sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => open(path)))));
  return sockets;
}

const listClients = (serial: number) =>
  encodeCall(Program.Admin, 1, Admin.serverListClients.proc, serial, Admin.serverListClients.args, { srv: { name: 'libvirtd' }, needResults: 1, flags: 0 });

async function idle(adminPath: string, mainPath: string, n: number): Promise<void> {
  const idleClients = await openMany(mainPath, n);
  const caller = new Caller(await open(adminPath));
  print(`READY ${idleClients.length}`);
  await nextLine();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = process.hrtime.bigint();
    await caller.call(listClients);
    times.push(elapsedMs(t));
  }
  print('IDLE');
  await nextLine();
  for (const s of idleClients) s.destroy();
  print({ clients: idleClients.length, clientListMs: median(times) });
}

/** `n` connects started in the same instant, no retry: how many a full listen queue refused. */
async function burst(mainPath: string, n: number): Promise<void> {
  let refused = 0;
  const sockets: Socket[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<void>((resolve) => {
        const s = connect(mainPath);
        s.once('connect', () => (sockets.push(s), resolve()));
        s.once('error', () => (refused++, resolve()));
      }),
    ),
  );
  const connectedMs = elapsedMs(t0);
  for (const s of sockets) s.destroy();
  print({ burst: n, refused, connectedMs });
}

const authList = (serial: number) => encodeCall(Program.Remote, PROGRAM_VERSION, Remote.authList.proc, serial, voidCodec, undefined);

async function cycles(mainPath: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, async () => {
        const s = await open(mainPath);
        s.destroy();
        await new Promise((r) => s.once('close', r));
      }),
    );
  }
}

async function churn(mainPath: string, cyclesAfter: number, callsAfter: number): Promise<void> {
  await cycles(mainPath, 1000);
  print('SETTLED');
  await nextLine();
  await cycles(mainPath, cyclesAfter);
  const caller = new Caller(await open(mainPath));
  let sent = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (sent < callsAfter) {
        sent++;
        await caller.call(authList);
      }
    }),
  );
  print({ cycles: 1000 + cyclesAfter, calls: callsAfter });
}

const phases: Record<string, () => Promise<void>> = {
  calls: () => calls(args[0]!),
  idle: () => idle(args[0]!, args[1]!, Number(args[2])),
  burst: () => burst(args[0]!, Number(args[1])),
  churn: () => churn(args[0]!, Number(args[1]), Number(args[2])),
};

phases[phase]!().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
