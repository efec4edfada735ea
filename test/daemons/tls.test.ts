/**
 * libvirtd --listen with x509 TLS: the real virsh with a client certificate
 * from the CA is served and its DN shows in virt-admin's client-info; a client
 * without a certificate, or with one from another CA, or outside
 * tls_allowed_dn_list, is turned away; server-update-tls puts a renewed
 * certificate in place for new connections while a connected client stays.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../helpers/free-port.js';
import { tlsClient } from '../helpers/tls-client.js';
import { issue, makeCa } from '../helpers/pki.js';
import { spawnVirtd, type VirtdProcess, waitForSocket } from '../helpers/spawn-virtd.js';
import { runTool } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

describe('libvirtd --listen with TLS', () => {
  let dir: string;
  let pki: string;
  let port: number;
  let daemon: VirtdProcess;
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtd-tls-'));
    pki = join(dir, 'pki');
    mkdirSync(pki);
    makeCa(pki, 'ca');
    makeCa(pki, 'otherca');
    issue(pki, 'ca', 'server', '/O=Test/CN=localhost', 'server');
    issue(pki, 'ca', 'client', '/C=GB/O=Test/CN=client1', 'client');
    issue(pki, 'ca', 'intruder', '/C=GB/O=Elsewhere/CN=intruder', 'client');
    issue(pki, 'otherca', 'stranger', '/C=GB/O=Test/CN=stranger', 'client');
    // What virsh reads from ?pkipath=: cacert.pem, clientcert.pem, clientkey.pem.
    mkdirSync(join(dir, 'virsh-pki'));
    copyFileSync(join(pki, 'ca.pem'), join(dir, 'virsh-pki', 'cacert.pem'));
    copyFileSync(join(pki, 'clientcert.pem'), join(dir, 'virsh-pki', 'clientcert.pem'));
    copyFileSync(join(pki, 'clientkey.pem'), join(dir, 'virsh-pki', 'clientkey.pem'));
    copyFileSync(join(pki, 'servercert.pem'), join(pki, 'live-servercert.pem'));
    port = await freePort();
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run'), LIBVIRT_AUTOSTART: '0' };
    mkdirSync(env.XDG_RUNTIME_DIR!, { mode: 0o700 });
    writeFileSync(
      join(dir, 'libvirtd.conf'),
      [
        'listen_tls = 1',
        'listen_tcp = 0',
        `tls_port = "${port}"`,
        'listen_addr = "127.0.0.1"',
        `key_file = "${join(pki, 'serverkey.pem')}"`,
        `cert_file = "${join(pki, 'live-servercert.pem')}"`,
        `ca_file = "${join(pki, 'ca.pem')}"`,
        'tls_allowed_dn_list = ["C=GB,O=Test,CN=*"]',
        `log_outputs = "3:file:${join(dir, 'libvirtd.log')}"`,
      ].join('\n') + '\n',
    );
    daemon = spawnVirtd(['libvirtd', '--mode', 'session', '--listen', '-f', join(dir, 'libvirtd.conf')], env);
    await waitForSocket(daemon, join(env.XDG_RUNTIME_DIR!, 'libvirt', 'libvirt-admin-sock'));
  });
  after(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const adminUri = () => `libvirtd:///session?socket=${join(env.XDG_RUNTIME_DIR!, 'libvirt', 'libvirt-admin-sock')}`;

  test('the real virsh with a certificate from the CA is served, and its DN shows in client-info', async () => {
    const uri = `qemu+tls://localhost:${port}/session?pkipath=${join(dir, 'virsh-pki')}`;
    const r = await runTool('virsh', ['-c', uri, 'uri'], { env, timeoutMs: 30000 });
    assert.equal(r.code, 0, r.stderr + daemon.output());
    assert.equal(r.stdout.trim(), uri);

    const held = await tlsClient(port, pki, { key: 'clientkey.pem', cert: 'clientcert.pem' });
    assert.ok(held.socket, held.error);
    const list = await runTool('virt-admin', ['-c', adminUri(), 'client-list', 'libvirtd'], { env });
    const id = /^\s*(\d+)\s+tls\s/m.exec(list.stdout)?.[1];
    assert.ok(id, list.stdout);
    const info = await runTool('virt-admin', ['-c', adminUri(), 'client-info', 'libvirtd', id], { env });
    assert.match(info.stdout, /^tls_x509_dname\s+: C=GB,O=Test,CN=client1$/m);
    assert.match(info.stdout, /^sock_addr\s+: 127\.0\.0\.1:\d+$/m);
    held.socket!.destroy();
  });

  test('no certificate, another CA, or a DN outside tls_allowed_dn_list: turned away', async () => {
    assert.ok((await tlsClient(port, pki, undefined)).error);
    assert.ok((await tlsClient(port, pki, { key: 'strangerkey.pem', cert: 'strangercert.pem' })).error);
    assert.ok((await tlsClient(port, pki, { key: 'intruderkey.pem', cert: 'intrudercert.pem' })).error);
    // The log file is written asynchronously: the line arrives a moment after the refusal.
    const refusal = /Client's Distinguished Name 'C=GB,O=Elsewhere,CN=intruder' is not on the list of allowed clients/;
    await until(() => refusal.test(readFileSync(join(dir, 'libvirtd.log'), 'utf8')), { message: 'the refusal in the log file' }).catch(() =>
      assert.match(readFileSync(join(dir, 'libvirtd.log'), 'utf8'), refusal),
    );
  });

  test('server-update-tls: new connections get the renewed certificate, a connected client stays', async () => {
    const before = await tlsClient(port, pki, { key: 'clientkey.pem', cert: 'clientcert.pem' });
    assert.ok(before.socket, before.error);
    issue(pki, 'ca', 'renewed', '/O=Test/CN=localhost', 'server');
    copyFileSync(join(pki, 'renewedcert.pem'), join(pki, 'live-servercert.pem'));
    copyFileSync(join(pki, 'renewedkey.pem'), join(pki, 'serverkey.pem'));
    const update = await runTool('virt-admin', ['-c', adminUri(), 'server-update-tls', 'libvirtd'], { env });
    assert.equal(update.code, 0, update.stderr);
    const afterUpdate = await tlsClient(port, pki, { key: 'clientkey.pem', cert: 'clientcert.pem' });
    assert.ok(afterUpdate.socket, afterUpdate.error);
    assert.notEqual(afterUpdate.serial, before.serial, 'a new certificate');
    assert.equal(before.socket!.destroyed, false, 'the earlier client is still connected');
    const list = await runTool('virt-admin', ['-c', adminUri(), 'client-list', 'libvirtd'], { env });
    assert.equal([...list.stdout.matchAll(/\stls\s/g)].length, 2, list.stdout);
    before.socket!.destroy();
    afterUpdate.socket!.destroy();
  });
});
