/**
 * What the certificate panel reads from x509 files, on certificates made by openssl:
 * names and validity, the chain (issued and signed by a CA in the CA file, or not),
 * a CRL's revocations and whether a CA signed it, and the expiry states.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { certInfo, chainProblem, expiryOf, parseCertificates, parseCrl } from '../../src/tasks/index.js';
import { issue, makeCa, makeCrl } from '../helpers/pki.js';

test('names, chain, CRL and expiry of openssl-made files', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'x509-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  makeCa(dir, 'ca');
  makeCa(dir, 'otherca');
  issue(dir, 'ca', 'server', '/O=Test/CN=host.example', 'server');
  issue(dir, 'otherca', 'foreign', '/O=Else/CN=host.example', 'server');
  const read = (f: string) => readFileSync(join(dir, f), 'latin1');
  const [server] = parseCertificates(read('servercert.pem'));
  const [foreign] = parseCertificates(read('foreigncert.pem'));
  const cas = parseCertificates(read('ca.pem') + read('otherca.pem'));
  const info = certInfo(server!);
  assert.equal(info.subject, 'O=Test,CN=host.example');
  assert.equal(info.issuer, 'O=Test,CN=ca');
  assert.deepEqual(info.sans, ['DNS:localhost', 'IP Address:127.0.0.1']);
  assert.equal(info.isCA, false);
  assert.equal(certInfo(cas[0]!).isCA, true);
  const now = Date.now();
  assert.equal(chainProblem(server!, cas, now), undefined, 'issued and signed by a CA in the bundle');
  assert.match(chainProblem(foreign!, parseCertificates(read('ca.pem')), now)!, /no certificate in the CA file issued it \(its issuer is O=Test,CN=otherca\)/);
  assert.throws(() => parseCertificates('not a certificate'), /no PEM certificate/);

  makeCrl(dir, 'ca', 'crl', ['server']);
  const crl = parseCrl(read('crl.pem'), cas);
  assert.deepEqual(crl.revoked, [info.serial]);
  assert.equal(crl.signedByCa, true);
  assert.equal(crl.issuer, 'O=Test,CN=ca');
  assert.ok(crl.nextUpdate! > crl.thisUpdate);
  assert.equal(parseCrl(read('crl.pem'), parseCertificates(read('otherca.pem'))).signedByCa, false, "another CA's key does not verify it");

  const day = 86_400_000;
  assert.deepEqual(expiryOf({ ...info, validFrom: now - day, validTo: now + 45 * day + 1000 }, now), { state: 'valid', daysLeft: 45 });
  assert.deepEqual(expiryOf({ ...info, validFrom: now - day, validTo: now + 29 * day + 1000 }, now), { state: 'expiring', daysLeft: 29 });
  assert.deepEqual(expiryOf({ ...info, validFrom: now - 9 * day, validTo: now - 2 * day - 1000 }, now), { state: 'expired', daysAgo: 2 });
  assert.deepEqual(expiryOf({ ...info, validFrom: now + 3 * day - 1000, validTo: now + 9 * day }, now), { state: 'not yet valid', daysUntil: 3 });
});
