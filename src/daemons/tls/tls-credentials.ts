/**
 * The daemon's x509 credentials (daemons.md §5.2: key_file, cert_file, ca_file,
 * crl_file) with libvirt's default locations, read into the options of a
 * TLS server, checked as libvirt checks them (certificate-sanity.ts) and
 * limited as tls_priority says (tls-priority.ts). Read again on
 * server-update-tls: a renewed certificate takes effect for new connections
 * while connected clients keep theirs; one that fails the check is refused
 * and the old one stays in service.
 */
import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';
import type { TlsFiles } from '../../conf/tls-files.js';
import { strerror } from '../system-errors.js';
import { checkServerCredentials } from './certificate-sanity.js';
import type { TlsPolicy } from './tls-priority.js';

export { type TlsFiles, tlsFiles } from '../../conf/tls-files.js';

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read ${what} '${path}': ${strerror(err)}`);
  }
}

export interface TlsContextOptions {
  /** libvirt's sanity check of our own certificate and CA (not tls_no_sanity_certificate). */
  sanityCheck: boolean;
  /** What tls_priority allows, when set. */
  policy?: TlsPolicy;
  warn: (msg: string) => void;
}

/** Reads (and, unless disabled, checks) the credentials; a failed check throws libvirt's message. */
export function loadTlsContext(files: TlsFiles, opts: TlsContextOptions): SecureContextOptions {
  const key = read(files.keyFile, 'private key');
  const cert = read(files.certFile, 'server certificate');
  const ca = read(files.caFile, 'CA certificate');
  if (opts.sanityCheck) {
    checkServerCredentials({ certFile: files.certFile, certPem: cert.toString('latin1'), caFile: files.caFile, caPem: ca.toString('latin1'), warn: opts.warn });
  }
  return {
    key,
    cert,
    ca,
    ...(files.crlFile ? { crl: read(files.crlFile, 'certificate revocation list') } : {}),
    ...opts.policy,
  };
}
