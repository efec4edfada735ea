/**
 * A security setting the daemon cannot honour stops it at start-up, naming
 * the key and the file (issue 17's rule; issue 9 item 0):
 * - SASL on any socket the daemon serves, for every daemon kind that reads
 *   auth keys, in each mode it runs in (until SASL is implemented: fail closed);
 * - access drivers other than "none" ("polkit" is not available here; an
 *   unknown name is libvirt's own refusal, checked beside libvirtd 9.0);
 * - audit_level = 2.
 * Legal settings that open a daemon wide start it with a warning in the log.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DaemonExited, type DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { freePort } from '../helpers/free-port.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

const REMOTE_KINDS: { name: string; session: boolean }[] = [
  { name: 'libvirtd', session: true },
  { name: 'virtqemud', session: true },
  { name: 'virtxend', session: false },
  { name: 'virtlxcd', session: false },
  { name: 'virtbhyved', session: false },
  { name: 'virtvboxd', session: true },
  { name: 'virtinterfaced', session: false },
  { name: 'virtnetworkd', session: false },
  { name: 'virtnodedevd', session: false },
  { name: 'virtnwfilterd', session: false },
  { name: 'virtsecretd', session: true },
  { name: 'virtstoraged', session: true },
  { name: 'virtproxyd', session: true },
];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'virtd-refusals-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs `virtd KIND` with this config in a fresh directory; resolves with the process once it exited or listens. */
async function runWith(kind: string, mode: 'system' | 'session', config: string, extraArgs: string[] = []): Promise<{ p: VirtdProcess; conf: string; sockets: string }> {
  const home = join(dir, `run-${runs++}`);
  mkdirSync(join(home, 'xdg'), { recursive: true, mode: 0o700 });
  const sockets = mode === 'system' ? join(home, 'sockets') : join(home, 'xdg', 'libvirt');
  const conf = join(home, `${kind}.conf`);
  writeFileSync(conf, `${mode === 'system' ? `unix_sock_dir = "${sockets}"\n` : ''}${config}\n`);
  const args = [kind, '--mode', mode, '-f', conf, '-p', join(home, `${kind}.pid`), ...extraArgs];
  const p = spawnVirtd(args, { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: join(home, 'xdg') });
  const prefix = kind === 'libvirtd' || kind === 'virtproxyd' ? 'libvirt' : kind;
  await waitForSocket(p, join(sockets, `${prefix}-admin-sock`)).catch(() => undefined);
  return { p, conf, sockets };
}

async function expectRefused(kind: string, mode: 'system' | 'session', config: string, message: (conf: string) => string, extraArgs: string[] = []) {
  const { p, conf } = await runWith(kind, mode, config, extraArgs);
  try {
    assert.equal(await p.waitExit(10000), 1, p.output());
    assert.ok(p.output().includes(message(conf)), `${kind} said: ${p.output()}`);
  } finally {
    await p.stop();
  }
}

const saslRefusal = (key: string) => (conf: string) =>
  `${key} in ${conf} = "sasl": SASL authentication is not available in this build, and the socket must not serve without it`;

describe('auth "sasl" fails closed on every socket of every daemon kind (until SASL is implemented)', () => {
  for (const kind of REMOTE_KINDS) {
    test(`${kind.name}: auth_unix_rw and auth_unix_ro in system mode${kind.session ? ', auth_unix_rw in session mode' : ''}`, async () => {
      await Promise.all([
        expectRefused(kind.name, 'system', 'auth_unix_rw = "sasl"', saslRefusal('auth_unix_rw')),
        expectRefused(kind.name, 'system', 'auth_unix_ro = "sasl"', saslRefusal('auth_unix_ro')),
        ...(kind.session ? [expectRefused(kind.name, 'session', 'auth_unix_rw = "sasl"', saslRefusal('auth_unix_rw'))] : []),
      ]);
    });
  }

  test('libvirtd --listen and virtproxyd: auth_tcp and auth_tls, set or by default', async () => {
    const port = await freePort();
    const tcp = `listen_tcp = 1\nlisten_tls = 0\ntcp_port = "${port}"\nlisten_addr = "127.0.0.1"`;
    await Promise.all([
      expectRefused('libvirtd', 'session', `${tcp}\nauth_tcp = "sasl"`, saslRefusal('auth_tcp'), ['--listen']),
      // auth_tcp defaults to "sasl": TCP without a word about auth is refused too.
      expectRefused('libvirtd', 'session', tcp, () => 'auth_tcp (default) = "sasl": SASL authentication is not available in this build', ['--listen']),
      expectRefused('libvirtd', 'session', `listen_tls = 1\ntls_port = "${port}"\nauth_tls = "sasl"`, saslRefusal('auth_tls'), ['--listen']),
      expectRefused('virtproxyd', 'session', `${tcp}\nauth_tcp = "sasl"`, saslRefusal('auth_tcp')),
      expectRefused('virtproxyd', 'system', `listen_tls = 1\ntls_port = "${port}"\nauth_tls = "sasl"`, saslRefusal('auth_tls')),
    ]);
  });

  test('the referee: Debian libvirtd with auth_unix_rw = "sasl" demands authentication (virsh without credentials is refused)', async (t) => {
    const real = await startRealLibvirtd({ config: 'auth_unix_rw = "sasl"\n' });
    t.after(() => real.stop());
    const r = await real.virsh(['hostname']);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /authentication/);
  });
});

describe('access_drivers, beside libvirtd 9.0', () => {
  const start = async (launch: () => Promise<DaemonUnderTest>): Promise<DaemonUnderTest | DaemonExited> => {
    try {
      return await launch();
    } catch (err) {
      if (err instanceof DaemonExited) return err;
      throw err;
    }
  };

  test('an unknown driver stops both with libvirt\'s "Cannot find security driver" (exit 1)', async () => {
    const config = 'access_drivers = [ "bogus" ]\n';
    const [ours, real] = await Promise.all([start(() => startVirtd('libvirtd', { config, asTestUser: true })), start(() => startRealLibvirtd({ config }))]);
    for (const [who, d] of [['ours', ours], ['libvirtd', real]] as const) {
      if (!(d instanceof DaemonExited)) {
        await d.stop();
        assert.fail(`${who} started`);
      }
      assert.equal(d.exitCode, 1, `${who}: ${d.log}`);
      assert.match(d.log, /internal error: Cannot find security driver 'bogus'/, who);
    }
  });

  test('"polkit": libvirtd denies every call here; ours, without a polkit client, refuses to start (stricter, README)', async () => {
    const config = 'access_drivers = [ "polkit" ]\n';
    const [ours, real] = await Promise.all([start(() => startVirtd('libvirtd', { config, asTestUser: true })), start(() => startRealLibvirtd({ config }))]);
    assert.ok(!(real instanceof DaemonExited), 'libvirtd started');
    try {
      const r = await real.virsh(['hostname']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /access denied: 'QEMU' denied access/);
    } finally {
      await real.stop();
    }
    if (!(ours instanceof DaemonExited)) {
      await ours.stop();
      assert.fail('ours started with every call allowed');
    }
    assert.equal(ours.exitCode, 1);
    assert.match(ours.log, /access_drivers in \S+ names "polkit": the polkit access driver is not available in this build/);
  });

  test('"none" allows calls in both', async () => {
    const config = 'access_drivers = [ "none" ]\n';
    const [ours, real] = await Promise.all([startVirtd('libvirtd', { config, asTestUser: true }), startRealLibvirtd({ config })]);
    try {
      for (const d of [ours, real]) {
        const r = await d.virsh(['hostname']);
        assert.equal(r.code, 0, r.stderr);
      }
    } finally {
      await Promise.all([ours.stop(), real.stop()]);
    }
  });
});

describe('audit and wide-open settings', () => {
  test('audit_level = 2 demands auditing this build does not do: refused', async () => {
    await expectRefused('libvirtd', 'system', 'audit_level = 2', (conf) => `audit_level = 2 in ${conf} requires auditing, which this build does not do`);
  });

  test('audit_level = 1 and audit_logging = 1 start with a warning that no audit records are written', async () => {
    const { p, conf } = await runWith('virtqemud', 'system', 'audit_level = 1\naudit_logging = 1');
    try {
      await until(() => p.output().includes(`audit_logging = 1 in ${conf}: there are no audit records to log`), { timeoutMs: 3000, message: p.output() });
      assert.ok(p.output().includes(`audit_level = 1 in ${conf}: this daemon writes no audit records`), p.output());
      assert.equal(p.exited(), false, p.output());
    } finally {
      await p.stop();
    }
  });

  test('TCP with auth_tcp = "none" starts with a warning naming the address and the risk', async () => {
    const port = await freePort();
    const { p, conf } = await runWith('libvirtd', 'session', `listen_tcp = 1\nlisten_tls = 0\ntcp_port = "${port}"\nlisten_addr = "127.0.0.1"\nauth_tcp = "none"`, ['--listen']);
    try {
      const warning = `auth_tcp in ${conf} = "none" with TCP on 127.0.0.1:${port}: anyone who can reach it gets read-write access to this daemon, unauthenticated and unencrypted`;
      await until(() => p.output().includes(warning), { timeoutMs: 3000, message: p.output() });
      assert.equal(p.exited(), false, p.output());
    } finally {
      await p.stop();
    }
  });
});
