/**
 * The daemon's x509 files (daemons.md §5.2: key_file, cert_file, ca_file,
 * crl_file) with libvirt's default locations: /etc/pki in system mode,
 * ~/.pki/libvirt in session mode. Shared by the daemons, which load them, and
 * the console, which shows what they hold.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface TlsFiles {
  keyFile: string;
  certFile: string;
  caFile: string;
  crlFile?: string;
}

/** `env` is the daemon's environment (its HOME decides the session defaults). */
export function tlsFiles(mode: 'system' | 'session', c: { keyFile?: string; certFile?: string; caFile?: string; crlFile?: string }, env: NodeJS.ProcessEnv): TlsFiles {
  const pki = join(env.HOME || homedir(), '.pki', 'libvirt');
  const defaults =
    mode === 'system'
      ? { keyFile: '/etc/pki/libvirt/private/serverkey.pem', certFile: '/etc/pki/libvirt/servercert.pem', caFile: '/etc/pki/CA/cacert.pem' }
      : { keyFile: join(pki, 'serverkey.pem'), certFile: join(pki, 'servercert.pem'), caFile: join(pki, 'cacert.pem') };
  return { keyFile: c.keyFile ?? defaults.keyFile, certFile: c.certFile ?? defaults.certFile, caFile: c.caFile ?? defaults.caFile, ...(c.crlFile ? { crlFile: c.crlFile } : {}) };
}
