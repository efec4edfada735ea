/**
 * Every user's session daemons (issue 12): a session daemon keeps its sockets
 * in its user's runtime directory, /run/user/UID/libvirt under systemd-logind.
 * Only root may look into other users' directories, so discovery asks here
 * only when told to (by default, when it runs as root).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const USER_RUNTIME_ROOT = '/run/user';

export interface UserSessionDir {
  uid: number;
  /** The user's libvirt socket directory. */
  dir: string;
}

/** The libvirt directories under `root` (one per user, named by uid), those that exist. */
export async function userSessionDirs(root = USER_RUNTIME_ROOT): Promise<UserSessionDir[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return []; // no logind runtime directories here
  }
  const found = await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (n) => {
        const dir = join(root, n, 'libvirt');
        try {
          return (await stat(dir)).isDirectory() ? { uid: Number(n), dir } : undefined;
        } catch {
          return undefined;
        }
      }),
  );
  return found.filter((d): d is UserSessionDir => d !== undefined).sort((a, b) => a.uid - b.uid);
}
