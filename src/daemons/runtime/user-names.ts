/**
 * uid and gid to names, as client-info reports them (unix_user_name,
 * unix_group_name). Read from /etc/passwd and /etc/group (what getpwuid and
 * getgrgid consult on a plain host), re-read when the files change.
 */
import { readFileSync, statSync } from 'node:fs';

class IdFile {
  #names = new Map<number, string>();
  #mtimeMs = -1;
  constructor(private readonly path: string) {}

  name(id: number): string | undefined {
    let mtime: number;
    try {
      mtime = statSync(this.path).mtimeMs;
    } catch {
      return undefined;
    }
    if (mtime !== this.#mtimeMs) {
      this.#mtimeMs = mtime;
      this.#names = new Map();
      for (const line of readFileSync(this.path, 'utf8').split('\n')) {
        const [name, , idText] = line.split(':');
        if (name && idText && /^\d+$/.test(idText) && !this.#names.has(Number(idText))) {
          this.#names.set(Number(idText), name);
        }
      }
    }
    return this.#names.get(id);
  }
}

const users = new IdFile('/etc/passwd');
const groups = new IdFile('/etc/group');

/** The user's name, or the uid as text when it has none (libvirt would fail; a number is more useful). */
export function userName(uid: number): string {
  return users.name(uid) ?? String(uid);
}

export function groupName(gid: number): string {
  return groups.name(gid) ?? String(gid);
}
