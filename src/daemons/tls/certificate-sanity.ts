/**
 * libvirt's sanity check of a TLS server's own credentials, run at start-up
 * and on server-update-tls unless tls_no_sanity_certificate = 1 (verified
 * against Debian's libvirtd 9.0, which refuses to start with exit 6 on each
 * failure here). In order: the server certificate (validity period, basic
 * constraints, key usage, extended key usage), each CA certificate, then the
 * server certificate against the CA list. A failed check of a non-critical
 * extension is a warning only, as in libvirt; the messages are libvirt's.
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  KeyUsage,
} from '@peculiar/asn1-x509';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_PURPOSE = '2.5.29.37.0';

export class CertificateSanityError extends Error {}

interface Extension<T> {
  value: T;
  critical: boolean;
}

/** One certificate with the extensions the checks read. */
class CheckedCertificate {
  readonly x509: X509Certificate;
  readonly basicConstraints: Extension<BasicConstraints> | undefined;
  readonly keyUsage: Extension<string[]> | undefined;
  readonly extKeyUsage: Extension<string[]> | undefined;

  constructor(pem: string) {
    this.x509 = new X509Certificate(pem);
    const extensions = AsnConvert.parse(this.x509.raw, Certificate).tbsCertificate.extensions ?? [];
    const find = <T>(oid: string, parse: (der: ArrayBuffer) => T): Extension<T> | undefined => {
      const e = extensions.find((x) => x.extnID === oid);
      return e && { value: parse(e.extnValue.buffer), critical: e.critical };
    };
    this.basicConstraints = find(id_ce_basicConstraints, (d) => AsnConvert.parse(d, BasicConstraints));
    this.keyUsage = find(id_ce_keyUsage, (d) => AsnConvert.parse(d, KeyUsage).toJSON());
    this.extKeyUsage = find(id_ce_extKeyUsage, (d) => [...AsnConvert.parse(d, ExtendedKeyUsage)]);
  }
}

/** The PEM certificates in a file's text, in order. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

function checkTimes(c: CheckedCertificate, file: string, isCA: boolean, now: Date): void {
  const what = isCA ? 'CA certificate' : 'server certificate';
  if (new Date(c.x509.validTo) < now) throw new CertificateSanityError(`The ${what} ${file} has expired`);
  if (new Date(c.x509.validFrom) > now) throw new CertificateSanityError(`The ${what} ${file} is not yet active`);
}

function checkBasicConstraints(c: CheckedCertificate, file: string, isCA: boolean): void {
  const bc = c.basicConstraints;
  if (bc?.value.cA && !isCA) throw new CertificateSanityError(`The certificate ${file} basic constraints show a CA, but we need one for a server`);
  if (bc && !bc.value.cA && isCA) throw new CertificateSanityError(`The certificate ${file} basic constraints do not show a CA`);
  if (!bc && isCA) throw new CertificateSanityError(`The certificate ${file} is missing basic constraints for a CA`);
}

function checkKeyUsage(c: CheckedCertificate, file: string, isCA: boolean, warn: (msg: string) => void): void {
  // No key usage extension means any usage.
  if (!c.keyUsage) return;
  const { value: usage, critical } = c.keyUsage;
  const need = isCA
    ? [['keyCertSign', 'certificate signing']]
    : [['digitalSignature', 'digital signature'], ['keyEncipherment', 'key encipherment']];
  for (const [bit, words] of need) {
    if (usage.includes(bit!)) continue;
    const msg = `Certificate ${file} usage does not permit ${words}`;
    if (critical) throw new CertificateSanityError(msg);
    warn(msg);
  }
}

function checkPurpose(c: CheckedCertificate, file: string, warn: (msg: string) => void): void {
  // No extended key usage allows any use. Of the purposes listed, serverAuth allows a
  // server; any purpose other than clientAuth and anyExtendedKeyUsage also does (libvirt's rule).
  if (!c.extKeyUsage) return;
  const allowServer = c.extKeyUsage.value.some((oid) => oid === SERVER_AUTH || (oid !== CLIENT_AUTH && oid !== ANY_PURPOSE));
  if (allowServer) return;
  const msg = `Certificate ${file} purpose does not allow use for with a TLS server`;
  if (c.extKeyUsage.critical) throw new CertificateSanityError(msg);
  warn(msg);
}

function checkIssuedBy(cert: CheckedCertificate, certFile: string, cas: CheckedCertificate[], caFile: string): void {
  const issuers = cas.filter((ca) => cert.x509.checkIssued(ca.x509));
  const reason =
    issuers.length === 0
      ? "The certificate hasn't got a known issuer."
      : issuers.some((ca) => cert.x509.verify(ca.x509.publicKey))
        ? undefined
        : 'The certificate is not trusted.';
  if (reason) throw new CertificateSanityError(`Our own certificate ${certFile} failed validation against ${caFile}: ${reason}`);
}

export interface SanityCheckInput {
  certFile: string;
  certPem: string;
  caFile: string;
  caPem: string;
  /** Warnings for non-critical extensions that would not allow the use. */
  warn: (msg: string) => void;
  now?: Date;
}

/** Throws CertificateSanityError with libvirt's message for the first failed check. */
export function checkServerCredentials(input: SanityCheckInput): void {
  const now = input.now ?? new Date();
  const parse = (pem: string, file: string) => {
    try {
      return new CheckedCertificate(pem);
    } catch {
      throw new CertificateSanityError(`Unable to import certificate ${file}`);
    }
  };
  const [certPem] = pemCertificates(input.certPem);
  if (!certPem) throw new CertificateSanityError(`Unable to import server certificate ${input.certFile}`);
  const cert = parse(certPem, input.certFile);
  checkTimes(cert, input.certFile, false, now);
  checkBasicConstraints(cert, input.certFile, false);
  checkKeyUsage(cert, input.certFile, false, input.warn);
  checkPurpose(cert, input.certFile, input.warn);

  const cas = pemCertificates(input.caPem).map((pem) => parse(pem, input.caFile));
  if (cas.length === 0) throw new CertificateSanityError(`Unable to import CA certificate list ${input.caFile}`);
  for (const ca of cas) {
    checkTimes(ca, input.caFile, true, now);
    checkBasicConstraints(ca, input.caFile, true);
    checkKeyUsage(ca, input.caFile, true, input.warn);
  }
  checkIssuedBy(cert, input.certFile, cas, input.caFile);
}
