/**
 * A fleet row's certificate warning from the certificate panel's findings:
 * expired, expiring within 30 days, not yet valid, revoked, or a file that
 * cannot be read each warn (several at once are all said); a daemon with no
 * TLS listener, or a certificate valid for 30 days or more, does not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expiryOf, type TlsReport } from '../../src/tasks/index.js';
import { certificateWarning } from '../../src/ui/store/host-warnings.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
const cert = (validFrom: number, validTo: number) => ({ subject: 'CN=kvm1', issuer: 'CN=ca', sans: [], serial: '01', validFrom, validTo, fingerprint256: '', isCA: false });
const report = (over: Partial<TlsReport>): TlsReport => ({ facts: {} as TlsReport['facts'], listeners: [{ server: 'libvirtd', address: '*:16514', port: 16514 }], cas: [], revoked: false, ...over });
const withCert = (validFrom: number, validTo: number, over: Partial<TlsReport> = {}) => {
  const c = cert(validFrom, validTo);
  return report({ certificate: c, expiry: expiryOf(c, NOW), ...over });
};

test('what warns in a fleet row, and what does not', () => {
  assert.equal(certificateWarning(report({ none: 'virtlogd has no TCP/TLS sockets' })), undefined, 'no TLS: nothing to warn of');
  assert.equal(certificateWarning(withCert(NOW - 10 * DAY, NOW + 30 * DAY + 1)), undefined, '30 days left: fine');
  assert.equal(certificateWarning(withCert(NOW - 10 * DAY, NOW + 29 * DAY + 1)), 'certificate expires in 29 d (< 30)');
  assert.equal(certificateWarning(withCert(NOW - 400 * DAY, NOW - 3 * DAY - 1)), 'certificate expired 3 d ago');
  assert.equal(certificateWarning(withCert(NOW + 2 * DAY, NOW + 400 * DAY)), 'certificate not valid for 2 d');
  assert.equal(certificateWarning(withCert(NOW - DAY, NOW + 400 * DAY, { revoked: true })), 'certificate revoked by the CRL');
  assert.equal(
    certificateWarning(report({ certificateError: '/etc/pki/libvirt/servercert.pem: EACCES: permission denied', crlError: '/etc/pki/CA/cacrl.pem: no CRL' })),
    'unreadable: /etc/pki/libvirt/servercert.pem: EACCES: permission denied; unreadable: /etc/pki/CA/cacrl.pem: no CRL',
  );
  assert.equal(
    certificateWarning(withCert(NOW - 400 * DAY, NOW - 40 * DAY, { caError: '/etc/pki/CA/cacert.pem: ENOENT' })),
    'certificate expired 40 d ago; unreadable: /etc/pki/CA/cacert.pem: ENOENT',
  );
});
