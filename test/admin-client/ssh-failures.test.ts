/**
 * Failures are per host and explained, against a real sshd: unknown host,
 * refused, host key unknown or changed, authentication needed, a host that
 * never answers (and holds up no other host); a lost connection comes back
 * with backoff, and the admin clients on it with it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HostPool, SshError, SshHost, type SshHostOptions } from '../../src/admin-client/index.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { freePort } from '../helpers/free-port.js';
import { makeSshClient, type SshClientFiles, type SshHostUnderTest, startSshHost } from '../helpers/sshd.js';
import { runTool, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

describe('ssh failures, each explained for its host', () => {
  let client: SshClientFiles;
  let other: SshClientFiles;
  let host: SshHostUnderTest;
  let d: DaemonUnderTest;

  before(async () => {
    client = makeSshClient();
    other = makeSshClient();
    host = await startSshHost(client);
    d = await startVirtd('libvirtd', { user: host.user, env: host.daemonEnv });
  });
  after(async () => {
    await d?.stop();
    await host?.stop();
    client?.cleanup();
    other?.cleanup();
  });

  const dest = () => ({ user: host.user.name, host: '127.0.0.1', port: host.port });
  async function failure(h: SshHost): Promise<SshError> {
    try {
      await h.ready();
    } catch (err) {
      assert.ok(err instanceof SshError, String(err));
      return err;
    } finally {
      await h.close();
    }
    throw new Error(`${h.name} connected`);
  }

  test('unknown host, refused, authentication needed, host key unknown', async () => {
    const ssh = { configFile: client.configFile };
    const unknown = await failure(new SshHost({ host: 'nosuch.invalid' }, {}, { ssh }));
    assert.equal(unknown.kind, 'unknown-host');
    assert.match(unknown.message, /^nosuch\.invalid: unknown host: cannot resolve 'nosuch\.invalid' \(.+\)$/);

    const port = await freePort();
    const refused = await failure(new SshHost({ host: '127.0.0.1', port }, {}, { ssh }));
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.message, `127.0.0.1:${port}: connection refused: nothing accepts ssh connections on 127.0.0.1 port ${port}`);

    // A key the host does not know, with the right known_hosts: the host asks for more.
    const wrongKey = join(other.dir, 'wrong-key_config');
    writeFileSync(wrongKey, `Host *\n  IdentityFile ${other.identity}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${client.knownHosts}\n`);
    const auth = await failure(new SshHost(dest(), {}, { ssh: { configFile: wrongKey } }));
    assert.equal(auth.kind, 'auth-needed');
    assert.match(auth.message, /^virtssh@127\.0\.0\.1:\d+: authentication needed: the host accepts publickey and no key was accepted; virt-admin-tui never asks for a password/);

    const unknownKey = await failure(new SshHost(dest(), { knownHosts: other.knownHosts }, { ssh }));
    assert.equal(unknownKey.kind, 'host-key-unknown');
    assert.match(unknownKey.message, /host key not known: refused\. Connect once with ssh to check the host's key/);
  });

  test('a host that never answers fails on its own, and holds up no other host', async (t) => {
    // Accepts TCP and never speaks ssh: a host hung under load, or a wrong service.
    const held: Socket[] = [];
    const silent = createServer((s) => held.push(s)).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    t.after(() => {
      for (const s of held) s.destroy();
      silent.close();
    });
    const port = (silent.address() as { port: number }).port;
    const slow = new SshHost({ host: '127.0.0.1', port }, {}, { ssh: { configFile: client.configFile, connectTimeoutSec: 60 } });
    let settled = false;
    const slowReady = slow.ready().finally(() => (settled = true));
    const pool = new HostPool({ ssh: { configFile: client.configFile } });
    const admin = await pool.hostFor(host.uri()).connect(host.uri());
    assert.deepEqual(await admin.listServers(), ['libvirtd', 'admin']);
    await admin.close();
    await pool.close();
    assert.equal(settled, false, 'the silent host is still connecting while the other one answered');
    await slow.close();
    await assert.rejects(slowReady, { kind: 'closed' });

    const timedOut = await failure(new SshHost({ host: '127.0.0.1', port }, {}, { ssh: { configFile: client.configFile, connectTimeoutSec: 1 } }));
    assert.equal(timedOut.kind, 'timeout');
    assert.equal(timedOut.message, `127.0.0.1:${port}: no answer: the host accepted the connection but did not speak ssh in time (ConnectTimeout)`);
  });

  test('connection lost: the host says so at once, comes back with backoff, and its daemons with it', async () => {
    const opts: SshHostOptions = { ssh: { configFile: client.configFile }, reconnect: true, backoffMs: { initial: 100, max: 1000 } };
    const pool = new HostPool(opts);
    const h = pool.hostFor(host.uri()) as SshHost;
    const admin = await h.connect(host.uri(), { reconnect: true, backoffMs: { initial: 100, max: 1000 } });
    assert.equal(admin.state, 'connected');
    const states: string[] = [];
    h.onState((s) => states.push(s));

    await host.halt();
    await until(() => h.state !== 'connected', { timeoutMs: 5000, message: 'the host marked lost' });
    assert.equal(h.lastError?.kind, 'lost');
    assert.match(h.lastError!.message, /^virtssh@127\.0\.0\.1:\d+: connection lost/);
    // While it is down a pid file's inode "cannot be read" (undefined, as HostFiles says), never a
    // rejection: the console asks for it unawaited, and a rejection there ended the whole console.
    assert.equal(await h.files.inode('/proc/locks'), undefined);
    await assert.rejects(h.files.readFile('/proc/locks'), { name: 'SshError' });
    await until(() => admin.state !== 'connected', { timeoutMs: 5000, message: 'the admin client lost' });
    // While sshd is down each attempt is refused, and says so.
    await until(() => h.lastError?.kind === 'refused', { timeoutMs: 5000, message: 'a refused reconnect attempt' });
    await assert.rejects(admin.listServers());

    await host.start();
    await until(() => h.state === 'connected' && admin.state === 'connected', { timeoutMs: 10000, message: 'reconnected' });
    assert.deepEqual(await admin.listServers(), ['libvirtd', 'admin']);
    assert.ok(states.includes('reconnecting'), states.join(' '));
    await admin.close();
    await pool.close();
  });

  // Last: it changes the host's key for good.
  test('a changed host key is refused, with a clear message on the command line', async () => {
    host.replaceHostKey();
    await host.halt();
    await host.start();
    const r = await runTool(process.execPath, [TUI_BIN, '-c', host.uri(), 'client-list', 'libvirtd'], { env: { VIRT_ADMIN_TUI_SSH_CONFIG: client.configFile } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'error: Failed to connect to the admin server\n' +
        `error: virtssh@127.0.0.1:${host.port}: host key changed: refused. The key the host offers is not the one recorded in ${client.knownHosts}:1: ` +
        'this may be an attack, or the host was reinstalled. ' +
        `If the change is expected, remove the old key (ssh-keygen -f "${client.knownHosts}" -R "[127.0.0.1]:${host.port}") and connect once with ssh to check the new one.\n`,
    );
    const json = await runTool(process.execPath, [TUI_BIN, '-c', host.uri(), 'client-list', 'libvirtd', '--json'], { env: { VIRT_ADMIN_TUI_SSH_CONFIG: client.configFile } });
    assert.match(JSON.parse(json.stderr).error.message, /host key changed: refused/);
  });
});
