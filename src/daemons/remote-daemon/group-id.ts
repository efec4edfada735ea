/** unix_sock_group: a group name (or number) to a gid, from /etc/group. */
import { readFileSync } from 'node:fs';

export function groupId(name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const [group, , gid] = line.split(':');
    if (group === name && gid) return Number(gid);
  }
  throw new Error(`Failed to parse group '${name}'`);
}
