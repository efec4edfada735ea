/**
 * The certificate panel in the console (view 7) against our libvirtd listening
 * on TLS: the certificate, its expiry (warned under 30 days) and chain; a
 * certificate replaced on disk and reloaded with `T` shows its new expiry, and
 * the handshake check reports the new serial; an expired one shows as expired,
 * and `T` reports the daemon's refusal and the old certificate still served.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startConsolePane } from '../helpers/console-pane.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { freePort } from '../helpers/free-port.js';
import { issue, issueDated, makeCa, opensslDate } from '../helpers/pki.js';
import type { TmuxSession } from '../helpers/tmux.js';
import { startVirtd } from '../helpers/virtd.js';

describe('the certificate panel against our libvirtd on TLS', { timeout: 120_000 }, () => {
  let d: DaemonUnderTest;
  let pki: string;
  let port: number;
  let pane: TmuxSession;
  const live = (name: string) => {
    copyFileSync(join(pki, `${name}cert.pem`), join(pki, 'live-cert.pem'));
    copyFileSync(join(pki, `${name}key.pem`), join(pki, 'live-key.pem'));
  };
  before(async () => {
    pki = mkdtempSync(join(tmpdir(), 'tls-console-'));
    makeCa(pki, 'ca');
    issue(pki, 'ca', 'server', '/O=Test/CN=localhost', 'server');
    issueDated(pki, 'ca', 'renewed', '/O=Test/CN=localhost', opensslDate(-1), opensslDate(400), '5E6F');
    issueDated(pki, 'ca', 'expired', '/O=Test/CN=localhost', opensslDate(-30), opensslDate(-3), '7A8B');
    live('server');
    port = await freePort();
    const config = [`tls_port = "${port}"`, 'listen_addr = "127.0.0.1"', `key_file = "${join(pki, 'live-key.pem')}"`, `cert_file = "${join(pki, 'live-cert.pem')}"`, `ca_file = "${join(pki, 'ca.pem')}"`].join('\n');
    d = await startVirtd('libvirtd', { config, args: ['--listen'], tcpPorts: [port] });
    pane = startConsolePane(d, { width: 240, height: 40 });
  });
  after(async () => {
    pane?.close();
    await d?.stop();
    rmSync(pki, { recursive: true, force: true });
  });

  test('the files and what they hold; an expiry under 30 days is a warning', async () => {
    pane.send('7');
    const screen = await pane.waitFor(/chain   verifies against the CA file/, 'the panel');
    assert.match(screen, new RegExp(`TLS on 127\\.0\\.0\\.1:${port} \\(libvirtd\\)`));
    assert.match(screen, /subject O=Test,CN=localhost/);
    assert.match(screen, /SANs    DNS:localhost, IP Address:127\.0\.0\.1/);
    assert.match(screen, /expiry  expires in [01] day\(s\): renew it \(warning from 30 days\)/);
  });

  test('replaced on disk, reloaded with T: the new expiry, and the handshake reports the new serial', async () => {
    live('renewed');
    pane.send('T');
    const screen = await pane.waitFor(/last reload/, 'the handshake check', 15_000);
    assert.match(screen, /serial  5E6F  valid \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);
    assert.match(screen, /expiry  valid for (399|400) more day\(s\)/);
    assert.match(screen, new RegExp(`libvirtd: reloaded; a new client of 127\\.0\\.0\\.1:${port} gets serial 5E6F \\(valid to \\d{4}-\\d\\d-\\d\\d\\): the certificate in the file`));
    assert.match(screen, /reload TLS: libvirtd serves serial 5E6F/);
  });

  test('an expired certificate shows as expired; T: refused, the old one still served', async () => {
    live('expired');
    pane.send('r');
    await pane.waitFor(/expiry  EXPIRED [23] day\(s\) ago/, 'expired, in red');
    pane.send('T');
    const screen = await pane.waitFor(/refused: .*has expired/, 'the refusal', 15_000);
    assert.match(screen, /gets serial 5E6F \(valid to \d{4}-\d\d-\d\d\): NOT the certificate in the file/);
  });
});
