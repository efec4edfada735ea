/**
 * A security setting the daemon cannot honour stops it at start-up, naming
 * the key and the file (issue 17's rule; issue 9 item 0), and one it can
 * honour is enforced:
 * - SASL on any socket the daemon serves, for every daemon kind that reads
 *   auth keys, in each mode it runs in: the daemon starts and demands SASL
 *   (issue 11); a SASL config Cyrus rejects stops it as it stops libvirtd;
 * - access drivers other than "none" ("polkit" is not available here; an
 *   unknown name is libvirt's own refusal, checked beside libvirtd 9.0);
 * - audit_level = 2.
 * Legal settings that open a daemon wide, or that will refuse every client,
 * start it with a warning in the log.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeHeader, decodeValue, errorBody, frameBody, MessageStatus, Program, Remote } from '../../src/rpc/index.js';
import { DaemonExited, type DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { freePort } from '../helpers/free-port.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeSaslDb, readableByTestUser, saslConfDir } from '../helpers/sasl.js';
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
let saslEnv: { SASL_CONF_PATH: string };
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'virtd-refusals-'));
  readableByTestUser(dir);
  saslEnv = saslConfDir(join(dir, 'sasl'), { mech_list: 'scram-sha-256', sasldb_path: join(dir, 'passwd.db') });
  makeSaslDb(join(dir, 'passwd.db'), [{ name: 'alice', password: 'alice-secret' }]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs `virtd KIND` with this config in a fresh directory; resolves with the process once it exited or listens. */
async function runWith(
  kind: string,
  mode: 'system' | 'session',
  config: string,
  extraArgs: string[] = [],
  env: Record<string, string> = saslEnv,
): Promise<{ p: VirtdProcess; conf: string; sockets: string }> {
  const home = join(dir, `run-${runs++}`);
  mkdirSync(join(home, 'xdg'), { recursive: true, mode: 0o700 });
  const sockets = mode === 'system' ? join(home, 'sockets') : join(home, 'xdg', 'libvirt');
  const conf = join(home, `${kind}.conf`);
  writeFileSync(conf, `${mode === 'system' ? `unix_sock_dir = "${sockets}"\n` : ''}${config}\n`);
  const args = [kind, '--mode', mode, '-f', conf, '-p', join(home, `${kind}.pid`), ...extraArgs];
  const p = spawnVirtd(args, { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: join(home, 'xdg'), ...env });
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

/** What a daemon's socket demands: AUTH_LIST's answer, and what CONNECT_OPEN gets before authenticating. */
async function demands(where: string | { port: number }): Promise<{ types: number[]; open: string }> {
  const c = await RawClient.connect(where);
  try {
    c.send(Program.Remote, Remote.authList.proc, Remote.authList.args, undefined);
    const { types } = decodeValue(Remote.authList.ret, frameBody((await c.next())!));
    c.send(Program.Remote, Remote.connectOpen.proc, Remote.connectOpen.args, { name: 'qemu:///system', flags: 0 });
    const reply = (await c.next())!;
    const open = decodeHeader(reply).status === MessageStatus.Ok ? 'ok' : decodeValue(errorBody, frameBody(reply)).message;
    return { types, open };
  } finally {
    c.close();
  }
}

const SASL_DEMANDED = { types: [1], open: 'authentication required' };

/** The daemon starts with this config and its socket `role` demands SASL. */
async function expectDemandsSasl(kind: string, mode: 'system' | 'session', config: string, where: (sockets: string) => string | { port: number }, extraArgs: string[] = []) {
  const { p, sockets } = await runWith(kind, mode, config, extraArgs);
  try {
    assert.equal(p.exited(), false, `${kind} did not start: ${p.output()}`);
    assert.deepEqual(await demands(where(sockets)), SASL_DEMANDED, `${kind} ${mode} ${config}`);
  } finally {
    await p.stop();
  }
}

describe('auth "sasl" on every socket of every daemon kind: the daemon starts and demands SASL', () => {
  for (const kind of REMOTE_KINDS) {
    const prefix = kind.name === 'libvirtd' || kind.name === 'virtproxyd' ? 'libvirt' : kind.name;
    test(`${kind.name}: auth_unix_rw and auth_unix_ro in system mode${kind.session ? ', auth_unix_rw in session mode' : ''}`, async () => {
      await Promise.all([
        expectDemandsSasl(kind.name, 'system', 'auth_unix_rw = "sasl"', (d) => join(d, `${prefix}-sock`)),
        expectDemandsSasl(kind.name, 'system', 'auth_unix_ro = "sasl"', (d) => join(d, `${prefix}-sock-ro`)),
        ...(kind.session ? [expectDemandsSasl(kind.name, 'session', 'auth_unix_rw = "sasl"', (d) => join(d, `${prefix}-sock`))] : []),
      ]);
    });
  }

  test('libvirtd --listen and virtproxyd on TCP: auth_tcp = "sasl", set or by default', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    const tcp = (port: number) => `listen_tcp = 1\nlisten_tls = 0\ntcp_port = "${port}"\nlisten_addr = "127.0.0.1"`;
    await Promise.all([
      expectDemandsSasl('libvirtd', 'session', `${tcp(ports[0]!)}\nauth_tcp = "sasl"`, () => ({ port: ports[0]! }), ['--listen']),
      // auth_tcp defaults to "sasl": TCP without a word about auth demands it too.
      expectDemandsSasl('libvirtd', 'session', tcp(ports[1]!), () => ({ port: ports[1]! }), ['--listen']),
      expectDemandsSasl('virtproxyd', 'session', `${tcp(ports[2]!)}\nauth_tcp = "sasl"`, () => ({ port: ports[2]! })),
    ]);
  });

  test('a SASL config Cyrus cannot parse stops ours and libvirtd alike (exit 6, libvirt\'s message); ours names the key and files', async () => {
    const bad = saslConfDir(join(dir, 'bad-sasl'), { mech_list: 'scram-sha-256' });
    appendFileSync(join(bad.SASL_CONF_PATH, 'libvirt.conf'), 'a line without a colon\n');
    const config = 'auth_unix_rw = "sasl"\n';
    // libvirtd binds its sockets before it sets up SASL, so it may look started for a moment: wait for its exit.
    const exit = async (launch: () => Promise<DaemonUnderTest>): Promise<{ code: number | null | undefined; log: string }> => {
      try {
        const d = await launch();
        await until(() => d.exitStatus() !== undefined, { timeoutMs: 10000, message: 'the daemon to give up' }).catch(() => undefined);
        const seen = { code: d.exitStatus(), log: d.logs() };
        await d.stop();
        return seen;
      } catch (err) {
        if (err instanceof DaemonExited) return { code: err.exitCode, log: err.log };
        throw err;
      }
    };
    const [ours, real] = await Promise.all([
      exit(() => startVirtd('libvirtd', { config, asTestUser: true, env: bad })),
      exit(() => startRealLibvirtd({ config, env: bad })),
    ]);
    for (const [who, d] of [['ours', ours], ['libvirtd', real]] as const) {
      assert.equal(d.code, 6, `${who}: ${d.log}`);
      assert.match(d.log, /authentication failed: failed to initialize SASL library: -100 \(error when parsing configuration file\)/, who);
    }
    const conf = join(dir, 'bad-sasl', 'libvirt.conf').replace(/[.]/g, '\\.');
    assert.match(ours.log, new RegExp(`\\(auth_unix_rw in \\S+libvirtd\\.conf = "sasl"; SASL config: ${conf}\\)`));
  });

  test('SASL files the daemon cannot read, or no mechanism for a socket: it starts and says every such login will fail', async () => {
    const conf = saslConfDir(join(dir, 'unreadable-sasl'), { mech_list: 'gssapi', keytab: join(dir, 'no-such.keytab') });
    const { p } = await runWith('libvirtd', 'system', 'auth_unix_rw = "sasl"', [], conf);
    try {
      await until(() => p.output().includes('keytab in'), { timeoutMs: 3000, message: p.output() });
      assert.match(p.output(), /auth_unix_rw in \S+ = "sasl": no SASL mechanism of \S+libvirt\.conf is available; every client of this socket will be refused/);
      assert.ok(p.output().includes(`keytab in ${join(dir, 'unreadable-sasl', 'libvirt.conf')} names ${join(dir, 'no-such.keytab')}, which this daemon cannot read (ENOENT)`), p.output());
      assert.equal(p.exited(), false);
    } finally {
      await p.stop();
    }
  });

  test('the referee: Debian libvirtd with auth_unix_rw = "sasl" demands authentication (virsh without credentials is refused)', async (t) => {
    const real = await startRealLibvirtd({ config: 'auth_unix_rw = "sasl"\n', env: saslEnv });
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
