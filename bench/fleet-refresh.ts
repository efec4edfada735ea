/**
 * `npm run bench -- fleet`: the console's refresh time over a fleet of 2
 * hosts x 6 daemons (Debian's libvirtd 9.0 and five of ours on each), the two
 * hosts being two real sshd on 127.0.0.1; beside it, the same twelve daemons
 * attached through their local sockets by the same code (LocalHost), so the
 * ratio is what ssh costs. One refresh is every host's dashboard data (each
 * daemon's pools and limits), all hosts at once; rounds interleaved.
 */
import type { DaemonUnderTest } from '../test/helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../test/helpers/real-libvirtd.js';
import { makeSshClient, type SshHostUnderTest, startSshHost } from '../test/helpers/sshd.js';
import { REPO_ROOT, runTool } from '../test/helpers/tools.js';
import { startVirtd } from '../test/helpers/virtd.js';
import { join } from 'node:path';

const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 5);
const REFRESHES = Number(process.env.BENCH_FLEET_REFRESHES ?? 50);
const OURS = ['virtqemud', 'virtsecretd', 'virtstoraged', 'virtvboxd', 'virtlogd'];
const PROBE = join(REPO_ROOT, 'dist', 'bench', 'fleet-refresh-probe.js');

interface Probe {
  attachMs: number;
  refreshMs: number[];
}

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const median = (v: number[]) => sorted(v)[Math.floor(v.length / 2)]!;
const p95 = (v: number[]) => sorted(v)[Math.floor(v.length * 0.95)]!;

async function probe(args: object, opts: { user?: string; env?: Record<string, string> }): Promise<Probe> {
  const r = await runTool(process.execPath, [PROBE, JSON.stringify(args)], { ...opts, timeoutMs: 600000 });
  if (r.code !== 0) throw new Error(`fleet probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Probe;
}

async function sixDaemons(host: SshHostUnderTest): Promise<DaemonUnderTest[]> {
  const ours = await Promise.all(OURS.map((name) => startVirtd(name, { user: host.user, env: host.daemonEnv })));
  return [await startRealLibvirtd({ user: host.user, env: host.daemonEnv }), ...ours];
}

export async function fleetRefresh(): Promise<void> {
  const client = makeSshClient();
  const hosts = await Promise.all([startSshHost(client), startSshHost(client)]);
  const daemons: DaemonUnderTest[] = [];
  try {
    for (const h of hosts) daemons.push(...(await sixDaemons(h)));
    const spec = (h: SshHostUnderTest) => `${h.user.name}@127.0.0.1:${h.port} session`;
    const sshArgs = { hosts: hosts.map((h) => ({ spec: spec(h) })), sshConfig: client.configFile, daemonsPerHost: 6, refreshes: REFRESHES };
    const localArgs = { hosts: hosts.map((h) => ({ spec: 'localhost session', sessionDir: join(h.runtimeDir, 'libvirt') })), daemonsPerHost: 6, refreshes: REFRESHES };
    const local: Probe[] = [];
    const ssh: Probe[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      local.push(await probe(localArgs, { user: hosts[0]!.user.name, env: {} }));
      ssh.push(await probe(sshArgs, {}));
    }
    console.log(`\nthe console's refresh over a fleet of 2 hosts x 6 daemons (libvirtd 9.0 + ${OURS.join(', ')} on each): ${ROUNDS} interleaved rounds of ${REFRESHES} refreshes`);
    console.log(`${'hosts reached'.padEnd(28)} ${'attach all 12'.padStart(14)} ${'refresh median'.padStart(15)} ${'p95'.padStart(9)}  ssh/local`);
    const fig = (p: Probe[]) => ({ attach: median(p.map((x) => x.attachMs)), med: median(p.map((x) => median(x.refreshMs))), p95: median(p.map((x) => p95(x.refreshMs))) });
    const [l, s] = [fig(local), fig(ssh)];
    const line = (label: string, f: typeof l, ratio: string) => `${label.padEnd(28)} ${`${f.attach.toFixed(0)}ms`.padStart(14)} ${`${f.med.toFixed(2)}ms`.padStart(15)} ${`${f.p95.toFixed(2)}ms`.padStart(9)}  ${ratio}`;
    console.log(line('local sockets (LocalHost)', l, ''));
    console.log(line('two sshd (SshHost)', s, `${(s.med / l.med).toFixed(2)}x`));
  } finally {
    for (const d of daemons) await d.stop();
    for (const h of hosts) await h.stop();
    client.cleanup();
  }
}
