/**
 * What a daemon's x509 files hold, as an operator asks about them: each
 * certificate's subject, alternative names, issuer, serial and validity, whether
 * the server certificate chains to a CA in the CA file (issued by it and signed
 * with its key), and the CRL's revocations (its signature checked against the CA).
 * Node's X509Certificate reads certificates; @peculiar/asn1-x509 reads the CRL.
 */
import { verify, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';

export interface CertInfo {
  subject: string;
  issuer: string;
  /** subjectAltName entries, e.g. DNS:localhost, IP Address:127.0.0.1. */
  sans: string[];
  /** Hex, upper case, as Node and openssl print it. */
  serial: string;
  validFrom: number;
  validTo: number;
  fingerprint256: string;
  isCA: boolean;
}

export interface CrlInfo {
  issuer: string;
  thisUpdate: number;
  nextUpdate?: number;
  /** Revoked serials, hex upper case. */
  revoked: string[];
  /** Signed by one of the CAs. */
  signedByCa: boolean;
}

export function pemBlocks(text: string, label: string): string[] {
  return text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g')) ?? [];
}

/** OpenSSL's one-line names with a comma, as libvirt prints DNs: C=GB, O=Test, CN=x -> C=GB,O=Test,CN=x. */
const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(',');

export function certInfo(x: X509Certificate): CertInfo {
  return {
    subject: oneLine(x.subject),
    issuer: oneLine(x.issuer),
    sans: x.subjectAltName ? x.subjectAltName.split(', ') : [],
    serial: x.serialNumber.toUpperCase(),
    validFrom: Date.parse(x.validFrom),
    validTo: Date.parse(x.validTo),
    fingerprint256: x.fingerprint256,
    isCA: x.ca,
  };
}

export function parseCertificates(text: string): X509Certificate[] {
  const blocks = pemBlocks(text, 'CERTIFICATE');
  if (blocks.length === 0) throw new Error('no PEM certificate in it');
  return blocks.map((b) => new X509Certificate(b));
}

/** Why the chain does not verify, or undefined when a CA issued and signed the certificate. */
export function chainProblem(cert: X509Certificate, cas: X509Certificate[], now: number): string | undefined {
  const issuer = cas.find((ca) => cert.checkIssued(ca));
  if (!issuer) return `no certificate in the CA file issued it (its issuer is ${oneLine(cert.issuer)})`;
  if (!cert.verify(issuer.publicKey)) return `its signature does not verify with the key of ${oneLine(issuer.subject)}`;
  if (!issuer.ca) return `${oneLine(issuer.subject)} is not a CA`;
  if (Date.parse(issuer.validTo) < now) return `the CA ${oneLine(issuer.subject)} expired on ${new Date(Date.parse(issuer.validTo)).toISOString()}`;
  return undefined;
}

const HASH_OF_SIGNATURE: Readonly<Record<string, string | null>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519: no separate hash
};

/** The bytes of the first element inside a DER SEQUENCE (the to-be-signed part), exactly as signed. */
function firstElement(der: Buffer): Buffer {
  const lengthAt = (at: number): [number, number] => {
    const first = der[at]!;
    if (first < 0x80) return [first, 1];
    const n = first & 0x7f;
    let len = 0;
    for (let i = 1; i <= n; i++) len = len * 256 + der[at + i]!;
    return [len, 1 + n];
  };
  const [, outerLenBytes] = lengthAt(1);
  const start = 1 + outerLenBytes;
  const [len, lenBytes] = lengthAt(start + 1);
  return der.subarray(start, start + 1 + lenBytes + len);
}

const hexSerial = (b: ArrayBuffer) => {
  const hex = Buffer.from(b).toString('hex').toUpperCase();
  return hex.replace(/^(00)+(?=.)/, '');
};

export function parseCrl(text: string, cas: X509Certificate[]): CrlInfo {
  const block = pemBlocks(text, 'X509 CRL')[0];
  if (!block) throw new Error('no PEM CRL in it');
  const der = Buffer.from(block.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const crl = AsnConvert.parse(der, CertificateList);
  const tbs = crl.tbsCertList;
  const hash = HASH_OF_SIGNATURE[crl.signatureAlgorithm.algorithm];
  const signature = Buffer.from(crl.signature);
  const signed = firstElement(der);
  const signer =
    hash === undefined
      ? undefined
      : cas.find((ca) => {
          try {
            return verify(hash, signed, ca.publicKey, signature);
          } catch {
            return false;
          }
        });
  return {
    issuer: signer ? oneLine(signer.subject) : tbs.issuer.map((rdn) => rdn.map((a) => a.value.toString()).join('+')).join(','),
    thisUpdate: tbs.thisUpdate.getTime().getTime(),
    ...(tbs.nextUpdate ? { nextUpdate: tbs.nextUpdate.getTime().getTime() } : {}),
    revoked: (tbs.revokedCertificates ?? []).map((r) => hexSerial(r.userCertificate)),
    signedByCa: signer !== undefined,
  };
}
