/**
 * A throwaway PKI made with openssl for TLS tests: a CA, a server certificate
 * for localhost/127.0.0.1, client certificates from that CA, and a second,
 * unrelated CA with a client of its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/O=Test/CN=${name}`]);
}

/** A certificate signed by `ca` with `subject`, for 'server' or 'client' use; writes <out>key.pem and <out>cert.pem. */
export function issue(dir: string, ca: string, out: string, subject: string, use: 'server' | 'client'): void {
  const ext = join(dir, `${out}.ext`);
  writeFileSync(
    ext,
    use === 'server'
      ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n'
      : 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\nbasicConstraints=critical,CA:FALSE\n',
  );
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${out}key.pem`, '-out', `${out}.csr`, '-subj', subject]);
  openssl(dir, ['x509', '-req', '-in', `${out}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${out}cert.pem`, '-days', '2', '-extfile', ext]);
}

/** A certificate with exactly the extensions given (openssl extension-file lines), signed by `ca`. */
export function issueWithExtensions(dir: string, ca: string, out: string, subject: string, extensions: string): void {
  const ext = join(dir, `${out}.ext`);
  writeFileSync(ext, `${extensions}\n`);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${out}key.pem`, '-out', `${out}.csr`, '-subj', subject]);
  openssl(dir, ['x509', '-req', '-in', `${out}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${out}cert.pem`, '-days', '2', '-extfile', ext]);
}

/** A self-signed CA certificate with the given extensions (e.g. one that is not a CA at all). */
export function makeCaWithExtensions(dir: string, name: string, extensions: string[]): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/O=Test/CN=${name}`, ...extensions.flatMap((e) => ['-addext', e])]);
}

/**
 * A server certificate valid only between two dates (openssl's YYYYMMDDHHMMSSZ), for expired
 * and not-yet-active cases: `openssl x509` cannot set dates, so this goes through `openssl ca`.
 * Each call keeps its own database: give certificates that must differ their own `serial` (hex).
 */
export function issueDated(dir: string, ca: string, out: string, subject: string, start: string, end: string, serial = '01'): void {
  const config = caDatabase(dir, `${out}-db`, serial);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${out}key.pem`, '-out', `${out}.csr`, '-subj', subject]);
  openssl(dir, ['ca', '-batch', '-config', config, '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', `${out}.csr`, '-out', `${out}cert.pem`, '-startdate', start, '-enddate', end, '-extensions', 'server']);
}

/** openssl ca's date form (YYYYMMDDHHMMSSZ), days from now (negative: in the past). */
export function opensslDate(daysFromNow: number): string {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/** A CRL of `ca` (written to <out>.pem) revoking the certificates <name>cert.pem of `revoked`. */
export function makeCrl(dir: string, ca: string, out: string, revoked: string[]): void {
  const config = caDatabase(dir, `${out}-db`);
  for (const name of revoked) openssl(dir, ['ca', '-batch', '-config', config, '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-revoke', `${name}cert.pem`]);
  openssl(dir, ['ca', '-batch', '-config', config, '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-gencrl', '-crldays', '2', '-out', `${out}.pem`]);
}

/** An `openssl ca` database in a directory of its own; returns its config file. */
function caDatabase(dir: string, name: string, serial = '01'): string {
  const db = join(dir, name);
  mkdirSync(db, { recursive: true });
  writeFileSync(join(db, 'index.txt'), '');
  writeFileSync(join(db, 'serial'), `${serial}\n`);
  writeFileSync(join(db, 'crlnumber'), '01\n');
  writeFileSync(
    join(db, 'ca.cnf'),
    [
      '[ca]', 'default_ca = local',
      '[local]', `dir = ${db}`, 'database = $dir/index.txt', 'serial = $dir/serial', 'crlnumber = $dir/crlnumber', 'new_certs_dir = $dir',
      'default_md = sha256', 'policy = any', 'unique_subject = no',
      '[any]', 'organizationName = optional', 'commonName = supplied',
      '[server]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth',
    ].join('\n') + '\n',
  );
  return join(db, 'ca.cnf');
}
