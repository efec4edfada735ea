/**
 * Cyrus SASL set-ups for tests, made with Debian's own tools in a temp dir
 * (verified with libvirtd 9.0; the steps are in docs/sasl.md):
 * a SASL config directory (its libvirt.conf found through SASL_CONF_PATH), a
 * sasldb of users made with saslpasswd2, and libvirt auth files that give
 * virsh its credentials without a prompt (LIBVIRT_AUTH_FILE).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestUser } from './tools.js';

export interface SaslUser {
  name: string;
  password: string;
}

/** Makes `dir` a SASL config directory for the application "libvirt"; returns the env that points Cyrus at it. */
export function saslConfDir(dir: string, options: Record<string, string>): { SASL_CONF_PATH: string } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'libvirt.conf'), Object.entries(options).map(([k, v]) => `${k}: ${v}\n`).join(''));
  readableByTestUser(dir);
  return { SASL_CONF_PATH: dir };
}

/** A sasldb at `path` holding these users (saslpasswd2 -a libvirt), readable by the test user's daemons. */
export function makeSaslDb(path: string, users: SaslUser[]): void {
  for (const u of users) {
    execFileSync('saslpasswd2', ['-p', '-a', 'libvirt', '-f', path, '-c', u.name], { input: u.password, stdio: ['pipe', 'ignore', 'pipe'] });
  }
  readableByTestUser(path);
}

/** A libvirt auth file giving any SASL prompt this user name and password; returns its path. */
export function authFile(path: string, user: SaslUser): string {
  writeFileSync(path, `[credentials-test]\nauthname=${user.name}\npassword=${user.password}\n\n[auth-libvirt-default]\ncredentials=test\n`);
  readableByTestUser(path);
  return path;
}

/** The daemons and tools run as the unprivileged test user: it owns what they must read. */
export function readableByTestUser(path: string): void {
  const u = ensureTestUser();
  chownSync(path, u.uid, u.gid);
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
}
