/**
 * The certificate panel's CLI twin against our libvirtd listening on TLS: the
 * files its config names and what they hold, an expiry warning under 30 days; a
 * certificate replaced on disk and reloaded is proved served by a fresh handshake
 * (its serial); an expired one shows as expired, the daemon refuses it and the
 * handshake shows the old certificate still served.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { freePort } from '../helpers/free-port.js';
import { issue, issueDated, makeCa, opensslDate } from '../helpers/pki.js';
import { TUI_BIN } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

const serialOf = (path: string) => new X509Certificate(readFileSync(path)).serialNumber.toUpperCase();

describe('certificates of our libvirtd on TLS', { timeout: 120_000 }, () => {
  let d: DaemonUnderTest;
  let pki: string;
  let port: number;
  const cli = (args: string[]) => d.run(process.execPath, [TUI_BIN, '-c', d.adminUri, 'certificates', ...args]);
  const live = (name: string) => {
    copyFileSync(join(pki, `${name}cert.pem`), join(pki, 'live-cert.pem'));
    copyFileSync(join(pki, `${name}key.pem`), join(pki, 'live-key.pem'));
  };

  before(async () => {
    port = await freePort();
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    pki = mkdtempSync(join(tmpdir(), 'tls-panel-'));
    mkdirSync(pki, { recursive: true });
    makeCa(pki, 'ca');
    issue(pki, 'ca', 'server', '/O=Test/CN=localhost', 'server');
    issueDated(pki, 'ca', 'renewed', '/O=Test/CN=localhost', opensslDate(-1), opensslDate(400), '1A2B');
    issueDated(pki, 'ca', 'expired', '/O=Test/CN=localhost', opensslDate(-30), opensslDate(-3), '3C4D');
    live('server');
    const config = [
      'listen_tls = 1',
      `tls_port = "${port}"`,
      'listen_addr = "127.0.0.1"',
      `key_file = "${join(pki, 'live-key.pem')}"`,
      `cert_file = "${join(pki, 'live-cert.pem')}"`,
      `ca_file = "${join(pki, 'ca.pem')}"`,
    ].join('\n');
    d = await startVirtd('libvirtd', { config, args: ['--listen'], tcpPorts: [port] });
  });
  after(() => d?.stop());

  test('the files, what they hold, and the expiry warning', async () => {
    const r = await cli([]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^TLS on 127\\.0\\.0\\.1:${port} \\(libvirtd\\)$`, 'm'));
    assert.match(r.stdout, new RegExp(`^certificate ${join(pki, 'live-cert.pem')}\\n  subject  O=Test,CN=localhost\\n  SANs     DNS:localhost, IP Address:127\\.0\\.0\\.1\\n  issuer   O=Test,CN=ca\\n  serial   ${serialOf(join(pki, 'servercert.pem'))}\\n`, 'm'));
    assert.match(r.stdout, /^ {2}expiry {3}expires in [01] day\(s\): renew it \(warning from 30 days\)$/m);
    assert.match(r.stdout, /^ {2}chain {4}verifies against the CA file$/m);
  });

  test('a renewed certificate on disk, reloaded: the handshake reports its serial and the new expiry shows', async () => {
    live('renewed');
    const r = await cli(['--reload']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const serial = serialOf(join(pki, 'renewedcert.pem'));
    assert.match(r.stdout, /^ {2}expiry {3}valid for (399|400) more day\(s\)$/m);
    assert.match(r.stdout, new RegExp(`^libvirtd: reloaded\\n  a new client of 127\\.0\\.0\\.1:${port} gets serial ${serial} \\(valid to \\d{4}-\\d\\d-\\d\\d\\), was ${serialOf(join(pki, 'servercert.pem'))}: the certificate in the file$`, 'm'));
  });

  test('an expired certificate shows as expired; the daemon keeps serving the one before', async () => {
    live('expired');
    const shown = await cli([]);
    assert.match(shown.stdout, /^ {2}expiry {3}EXPIRED [23] day\(s\) ago$/m);
    const r = await cli(['--reload']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^libvirtd: the daemon refused the reload: .*has expired/m);
    assert.match(r.stdout, new RegExp(`gets serial ${serialOf(join(pki, 'renewedcert.pem'))} .*: NOT the certificate in the file$`, 'm'));
  });
});
