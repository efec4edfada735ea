/**
 * The scriptable twins of issue 12 on a mixed host, each checked against the
 * real virt-admin's view of the same daemons: `host --json` (the dashboard),
 * `clients --all --json` (every client with its process), and `watch --json`
 * (connect and disconnect events as NDJSON: our daemons push them, libvirt's
 * are polled), ended by SIGINT.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { type ClientHolder, holdClients } from '../helpers/client-holder.js';
import { type HeldVirsh, holdVirsh } from '../helpers/held-virsh.js';
import { clientIds, holdPython, MIXED, type MixedHost, type PyHolder, startMixedHost } from '../helpers/mixed-host.js';
import { asUser, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

interface DaemonJson {
  name: string;
  mode: string;
  pid?: number;
  running: boolean;
  servers?: { name: string; clients: number; maxClients: number; unauthClients: number; maxUnauthClients: number; workers: { min: number; max: number; priority: number } }[];
}

describe('issue 12: host --json, clients --all --json and watch --json against virt-admin', { timeout: 240000 }, () => {
  let host: MixedHost;
  let virsh: HeldVirsh;
  let node: ClientHolder;
  let py: PyHolder;
  const tui = async (args: string[]) => {
    const r = await host.run(process.execPath, [TUI_BIN, '--system-socket-dir', host.systemDir, ...args], 30000);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const field = (text: string, name: string) => Number(new RegExp(`^${name}\\s+: (\\d+)$`, 'm').exec(text)?.[1]);

  before(async () => {
    host = await startMixedHost([...MIXED]);
    virsh = holdVirsh(`qemu:///session?socket=${host.daemons.libvirtd!.mainSocket}`, host.user.name, host.env);
    node = await holdClients({ mainSocket: host.daemons.virtqemud!.mainSocket, user: host.user.name } as DaemonUnderTest, 2);
    py = await holdPython(host, [host.daemons.virtnetworkd!.mainSocket, host.daemons.virtproxyd!.mainSocket]);
    await until(async () => (await clientIds(host, 'libvirtd', 'libvirtd')).length === 1, { timeoutMs: 20000, message: "virsh's connection" });
  });
  after(async () => {
    virsh?.stop();
    node?.stop();
    py?.stop();
    await host?.stop();
  });

  test('host --json: every daemon, its pid, servers, limits and pools as virt-admin reports them', async () => {
    const doc = (await tui(['host', '--json'])) as { host: string; daemons: DaemonJson[] };
    assert.equal(doc.host, 'localhost');
    const running = doc.daemons.filter((d) => d.running);
    assert.deepEqual(running.map((d) => d.name).sort(), MIXED.map((d) => d.name).sort(), 'the six daemons');
    for (const d of running) {
      const spec = MIXED.find((m) => m.name === d.name)!;
      assert.equal(d.mode, spec.mode);
      assert.equal(d.pid, host.daemons[d.name]!.pid, `${d.name}'s pid`);
      const list = await host.virtAdmin(d.name, ['srv-list']);
      const names = [...list.stdout.matchAll(/^\s*\d+\s+(\S+)\s*$/gm)].map((m) => m[1]!).sort();
      assert.deepEqual(d.servers!.map((s) => s.name).sort(), names, `${d.name}'s servers`);
      for (const s of d.servers!) {
        const clients = (await host.virtAdmin(d.name, ['srv-clients-info', s.name])).stdout;
        const pool = (await host.virtAdmin(d.name, ['srv-threadpool-info', s.name])).stdout;
        // The admin server counts this command's own connection, which virt-admin's replaces.
        if (s.name !== 'admin') assert.equal(s.clients, field(clients, 'nclients'), `${d.name}/${s.name} clients`);
        assert.equal(s.maxClients, field(clients, 'nclients_max'));
        assert.equal(s.maxUnauthClients, field(clients, 'nclients_unauth_max'));
        assert.deepEqual([s.workers.min, s.workers.max, s.workers.priority], [field(pool, 'minWorkers'), field(pool, 'maxWorkers'), field(pool, 'prioWorkers')]);
      }
    }
  });

  test('clients --all --json: every client of every main server, with its process', async () => {
    const doc = (await tui(['clients', '--all', '--json'])) as { clients: { daemon: string; server: string; id: number; processName?: string; unixProcessId?: number; thisCommand?: boolean }[] };
    for (const { name } of MIXED) {
      const d = doc.clients.filter((c) => c.daemon === name && c.server !== 'admin');
      const servers = [...new Set(d.map((c) => c.server))];
      for (const server of servers) assert.deepEqual(d.filter((c) => c.server === server).map((c) => c.id).sort(), (await clientIds(host, name, server)).sort(), `${name}/${server}`);
    }
    const byProcess = (pid: number) => doc.clients.filter((c) => c.unixProcessId === pid && c.server !== 'admin').map((c) => `${c.daemon}:${c.processName}`).sort();
    assert.deepEqual(byProcess(virsh.pid), ['libvirtd:virsh']);
    assert.deepEqual(byProcess(node.pid), ['virtqemud:node', 'virtqemud:node']);
    assert.deepEqual(byProcess(py.pid), ['virtnetworkd:python3', 'virtproxyd:python3']);
    assert.equal(doc.clients.filter((c) => c.thisCommand).length, MIXED.length, 'its own admin connection to each daemon, marked');
  });

  test('watch --json: connects and disconnects from ours (pushed) and libvirt\'s (polled), until SIGINT', async () => {
    const [file, argv] = asUser(process.execPath, [TUI_BIN, '--system-socket-dir', host.systemDir, 'watch', '--json', '--interval', '0.5'], host.user.name, host.env);
    const watch = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watch.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    watch.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
    const events = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      await until(() => events().filter((e) => e.event === 'watching').length === MIXED.length, { timeoutMs: 20000, message: 'every daemon watched' });
      const sources = Object.fromEntries(events().filter((e) => e.event === 'watching').map((e) => [e.daemon, e.source]));
      assert.deepEqual(sources, { virtlogd: 'polling', virtlockd: 'polling', libvirtd: 'polling', virtqemud: 'events', virtnetworkd: 'events', virtproxyd: 'events' });
      const newcomer = await holdPython(host, [host.daemons.virtqemud!.mainSocket, host.daemons.libvirtd!.mainSocket]);
      const connectOf = (daemon: string) => events().find((e) => e.event === 'connect' && e.daemon === daemon && e.server !== 'admin');
      await until(() => !!connectOf('virtqemud') && !!connectOf('libvirtd'), { timeoutMs: 10000, message: 'both connects' });
      const qemuNew = (await clientIds(host, 'virtqemud', 'virtqemud')).filter((id) => !events().some((e) => e.event === 'disconnect' && e.id === id));
      assert.ok(qemuNew.includes(connectOf('virtqemud')!.id as number), "virt-admin lists virtqemud's new client");
      assert.ok((await clientIds(host, 'libvirtd', 'libvirtd')).includes(connectOf('libvirtd')!.id as number), "virt-admin lists libvirtd's new client");
      newcomer.stop();
      const gone = (daemon: string) => events().some((e) => e.event === 'disconnect' && e.daemon === daemon && e.id === connectOf(daemon)!.id);
      await until(() => gone('virtqemud') && gone('libvirtd'), { timeoutMs: 10000, message: 'both disconnects' });
      for (const daemon of ['virtqemud', 'libvirtd']) assert.ok(!(await clientIds(host, daemon, daemon)).includes(connectOf(daemon)!.id as number), `gone from ${daemon} for virt-admin too`);
      for (const e of events()) assert.equal(typeof e.at, 'number');
    } finally {
      watch.kill('SIGINT');
    }
    const code = await new Promise((r) => watch.once('exit', (c) => r(c)));
    assert.equal(code, 0, out);
  });
});
