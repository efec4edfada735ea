/**
 * `npm run bench -- ssh`: an admin round trip through the ssh transport
 * (OpenSSH's UNIX-socket forward on a ControlMaster, to a real sshd on
 * 127.0.0.1) against the same daemon's socket used locally, for our libvirtd
 * and Debian's libvirtd 9.0; rounds interleaved, medians of round medians.
 * Also the attach time: ssh login plus forward, against a local connect.
 */
import { join } from 'node:path';
import type { DaemonUnderTest } from '../test/helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../test/helpers/real-libvirtd.js';
import { makeSshClient, startSshHost } from '../test/helpers/sshd.js';
import { REPO_ROOT, runTool } from '../test/helpers/tools.js';
import { startVirtd } from '../test/helpers/virtd.js';

const CALLS = Number(process.env.BENCH_SSH_CALLS ?? 1000);
const ROUNDS = Number(process.env.BENCH_SSH_ROUNDS ?? 5);
const PROBE = join(REPO_ROOT, 'dist', 'bench', 'admin-rtt.js');

interface Probe {
  attachMs: number;
  rounds: { medianUs: number; p95Us: number }[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function probe(args: string[], opts: { user?: string; env?: Record<string, string> }): Promise<Probe> {
  const r = await runTool(process.execPath, [PROBE, ...args], { ...opts, timeoutMs: 600000 });
  if (r.code !== 0) throw new Error(`round-trip probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Probe;
}

export async function sshTransport(): Promise<void> {
  const client = makeSshClient();
  const host = await startSshHost(client);
  console.log(`\nadmin round trip (listServers, one at a time), ${ROUNDS} interleaved rounds of ${CALLS}: local socket vs the ssh transport to the same daemon`);
  console.log(`${'daemon'.padEnd(16)} ${'transport'.padEnd(10)} ${'attach'.padStart(9)} ${'median'.padStart(9)} ${'p95'.padStart(9)}  ssh/local`);
  try {
    for (const [name, start] of [
      ['virtd libvirtd', () => startVirtd('libvirtd', { user: host.user, env: host.daemonEnv })],
      ['libvirtd 9.0', () => startRealLibvirtd({ user: host.user, env: host.daemonEnv })],
    ] as const) {
      const d: DaemonUnderTest = await start();
      try {
        const local: Probe[] = [];
        const ssh: Probe[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          local.push(await probe([d.adminUri, String(CALLS), '1'], { user: d.user, env: d.env }));
          ssh.push(await probe([host.uri('libvirtd'), String(CALLS), '1', client.configFile], {}));
        }
        const fig = (p: Probe[]) => ({ attach: median(p.map((x) => x.attachMs)), med: median(p.map((x) => x.rounds[0]!.medianUs)), p95: median(p.map((x) => x.rounds[0]!.p95Us)) });
        const [l, s] = [fig(local), fig(ssh)];
        const line = (t: string, f: typeof l, ratio: string) => `${name.padEnd(16)} ${t.padEnd(10)} ${`${f.attach.toFixed(1)}ms`.padStart(9)} ${`${f.med.toFixed(0)}us`.padStart(9)} ${`${f.p95.toFixed(0)}us`.padStart(9)}  ${ratio}`;
        console.log(line('local', l, ''));
        console.log(line('ssh', s, `${(s.med / l.med).toFixed(2)}x`));
      } finally {
        await d.stop();
      }
    }
  } finally {
    await host.stop();
    client.cleanup();
  }
}
