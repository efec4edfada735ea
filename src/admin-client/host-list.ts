/**
 * The fleet's hosts: `--host SPEC` repeated, or the hosts file in the user's
 * config dir ($XDG_CONFIG_HOME/virt-admin-tui/hosts, else ~/.config/...), one
 * host per line:
 *
 *   # comments and blank lines are skipped
 *   localhost                          this machine, without ssh
 *   web1                               a Host of ~/.ssh/config, both modes
 *   root@db1.example.com:2222 system   user, port, and only system-mode daemons
 *   ops@[2001:db8::7]/session          an IPv6 address; the mode after a slash works too
 *   kvm3 keyfile=/home/me/.ssh/kvm     options of the URI: keyfile=, known_hosts=
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseDestination, type SshDestination, type SshTransportOptions } from './ssh/ssh-uri.js';

export type HostEntry =
  | { kind: 'local'; spec: string; modes?: ('system' | 'session')[] }
  | { kind: 'ssh'; spec: string; destination: SshDestination; transport: SshTransportOptions; modes?: ('system' | 'session')[] };

export class HostSpecError extends Error {}

const MODES = new Set(['system', 'session']);

export function parseHostSpec(spec: string): HostEntry {
  const words = spec.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new HostSpecError('an empty host');
  let [first, ...rest] = words as [string, ...string[]];
  let modes: ('system' | 'session')[] | undefined;
  const slash = /^(.*[^/])\/(system|session)$/.exec(first);
  if (slash) {
    first = slash[1]!;
    modes = [slash[2] as 'system' | 'session'];
  }
  const transport: SshTransportOptions = {};
  for (const w of rest) {
    const eq = w.indexOf('=');
    const [k, v] = eq === -1 ? [w, ''] : [w.slice(0, eq), w.slice(eq + 1)];
    if (eq === -1 && MODES.has(w)) {
      if (modes) throw new HostSpecError(`'${spec}': the mode is given twice`);
      modes = [w as 'system' | 'session'];
    } else if (k === 'keyfile' && v) transport.keyfile = v;
    else if (k === 'known_hosts' && v) transport.knownHosts = v;
    else throw new HostSpecError(`'${spec}': unknown word '${w}' (expected system, session, keyfile=PATH or known_hosts=PATH)`);
  }
  const withModes = modes ? { modes } : {};
  if (first === 'localhost' && Object.keys(transport).length === 0) return { kind: 'local', spec: spec.trim(), ...withModes };
  try {
    return { kind: 'ssh', spec: spec.trim(), destination: parseDestination(first), transport, ...withModes };
  } catch (err) {
    throw new HostSpecError(`'${spec}': ${(err as Error).message}`);
  }
}

/** Every host of a hosts file's text; an error names the line. */
export function parseHostsFile(text: string, file = 'hosts'): HostEntry[] {
  const entries: HostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    try {
      entries.push(parseHostSpec(line));
    } catch (err) {
      throw new HostSpecError(`${file}:${i + 1}: ${(err as Error).message}`);
    }
  });
  return entries;
}

export function hostsFilePath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'virt-admin-tui', 'hosts');
}

/** The hosts file's entries, or undefined when there is no such file. */
export function readHostsFile(env: NodeJS.ProcessEnv): HostEntry[] | undefined {
  const path = hostsFilePath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseHostsFile(text, path);
}
