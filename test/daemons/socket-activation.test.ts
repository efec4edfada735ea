/**
 * systemd socket activation, run under Debian's real systemd-socket-activate:
 * fds matched by their unit names, fds without names matched by the address
 * they are bound to, an fd nobody claims and --listen both refused, and the
 * config keys activation overrides reported as ignored.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runTool, VIRTD_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

interface Activated {
  child: ChildProcess;
  output(): string;
  exitCode(): number | null;
  stop(): Promise<void>;
}

/** systemd-socket-activate listening on `paths`, starting `virtd ARGS` on the first connection. */
async function activate(paths: string[], fdnames: string[] | undefined, args: string[], env: Record<string, string>): Promise<Activated> {
  const sa = ['-l', ...paths.flatMap((p, i) => (i === 0 ? [p] : ['-l', p]))];
  for (const [k, v] of Object.entries(env)) sa.push('-E', `${k}=${v}`);
  if (fdnames) sa.push(`--fdname=${fdnames.join(':')}`);
  const child = spawn('systemd-socket-activate', [...sa, VIRTD_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let code: number | null = null;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.on('exit', (c) => (code = c));
  await until(() => paths.every((p) => existsSync(p)), { message: 'systemd-socket-activate listening', timeoutMs: 5000 });
  return {
    child,
    output: () => out,
    exitCode: () => code,
    async stop() {
      if (code === null && child.exitCode === null) {
        child.kill('SIGTERM');
        await until(() => child.exitCode !== null || child.signalCode !== null, { timeoutMs: 5000 }).catch(() => child.kill('SIGKILL'));
      }
    },
  };
}

function session(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-activation-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run'), XDG_CONFIG_HOME: join(dir, 'config'), PATH: process.env.PATH ?? '/usr/bin:/bin' };
  mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  mkdirSync(join(dir, 'units'));
  return { dir, env };
}

test('named fds: each socket is the unit its name says; nothing else is created', async (t) => {
  const { dir, env } = session(t);
  // Paths unlike the configured ones: with names, the name decides.
  const rw = join(dir, 'units', 'main.sock');
  const admin = join(dir, 'units', 'admin.sock');
  mkdirSync(join(dir, 'config', 'libvirt'), { recursive: true });
  writeFileSync(join(dir, 'config', 'libvirt', 'libvirtd.conf'), `unix_sock_dir = "${join(dir, 'elsewhere')}"\n`);
  const a = await activate([rw, admin], ['libvirtd.socket', 'libvirtd-admin.socket'], ['libvirtd', '--mode', 'session'], env);
  t.after(() => a.stop());
  const list = await runTool('virt-admin', ['-c', `libvirtd:///session?socket=${admin}`, 'srv-list'], { env });
  assert.equal(list.code, 0, list.stderr + a.output());
  assert.match(list.stdout, /libvirtd/);
  const uri = await runTool('virsh', ['-c', `qemu:///session?socket=${rw}`, 'uri'], { env: { ...env, LIBVIRT_AUTOSTART: '0' }, timeoutMs: 30000 });
  assert.equal(uri.code, 0, uri.stderr);
  assert.equal(existsSync(join(dir, 'elsewhere')), false, 'no socket of its own');
  assert.match(a.output(), /unix_sock_dir in .*libvirtd\.conf is ignored: the sockets come from systemd socket activation/);
});

test('fds without names (systemd before 227) are matched to the configured paths', async (t) => {
  const { env } = session(t);
  const dir = join(env.XDG_RUNTIME_DIR, 'libvirt');
  mkdirSync(dir, { mode: 0o700 });
  const a = await activate([join(dir, 'virtqemud-admin-sock'), join(dir, 'virtqemud-sock')], undefined, ['virtqemud', '--mode', 'session'], env);
  t.after(() => a.stop());
  const list = await runTool('virt-admin', ['-c', `virtqemud:///session?socket=${join(dir, 'virtqemud-admin-sock')}`, 'srv-list'], { env });
  assert.equal(list.code, 0, list.stderr + a.output());
  assert.match(list.stdout, /virtqemud/);
  const uri = await runTool('virsh', ['-c', `qemu:///session?socket=${join(dir, 'virtqemud-sock')}`, 'uri'], { env: { ...env, LIBVIRT_AUTOSTART: '0' }, timeoutMs: 30000 });
  assert.equal(uri.code, 0, uri.stderr);
});

test('an fd nobody claims is fatal, naming it; so is --listen with activation', async (t) => {
  const { dir, env } = session(t);
  const stray = join(dir, 'units', 'stray.sock');
  const a = await activate([stray], undefined, ['libvirtd', '--mode', 'session'], env);
  t.after(() => a.stop());
  await runTool('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.connect('${stray}')`]);
  await until(() => a.exitCode() !== null, { message: 'virtd to exit' });
  assert.equal(a.exitCode(), 6);
  assert.match(a.output(), new RegExp(`Some activation file descriptors are unclaimed: fd 3 \\(${stray}\\)`));

  const rw = join(dir, 'units', 'rw.sock');
  const b = await activate([rw], ['libvirtd.socket'], ['libvirtd', '--mode', 'session', '--listen'], env);
  t.after(() => b.stop());
  await runTool('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.connect('${rw}')`]);
  await until(() => b.exitCode() !== null, { message: 'virtd to exit' });
  assert.equal(b.exitCode(), 6);
  assert.match(b.output(), /--listen parameter not permitted with systemd activation sockets/);
});
