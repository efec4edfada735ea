/**
 * A throwaway PKI made with openssl for TLS tests: a CA, a server certificate
 * for localhost/127.0.0.1, client certificates from that CA, and a second,
 * unrelated CA with a client of its own.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
