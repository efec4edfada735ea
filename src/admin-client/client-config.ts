/**
 * libvirt-admin.conf, the client's config file (admin-api.md §5): only
 * `uri_default` (a string) and `uri_aliases` (a list of "name=URI") matter
 * here. /etc/libvirt/libvirt-admin.conf for root, else
 * $XDG_CONFIG_HOME/libvirt/libvirt-admin.conf; a missing file is fine.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../rpc/index.js';
import { uriError } from './admin-client-error.js';

export interface ClientConfig {
  uriDefault?: string;
  uriAliases: Map<string, string>;
}

export function clientConfigPath(env: NodeJS.ProcessEnv, euid: number): string {
  if (euid === 0) return '/etc/libvirt/libvirt-admin.conf';
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'libvirt', 'libvirt-admin.conf');
}

/** The quoted strings of a value: one for a string, several for a list. */
function strings(value: string): string[] {
  return [...value.matchAll(/"([^"\n]*)"|'([^'\n]*)'/g)].map((m) => m[1] ?? m[2] ?? '');
}

export function parseClientConfig(text: string): ClientConfig {
  // Drop comments outside strings, then find the two keys (values may span lines: lists).
  const clean = text.replace(/("[^"\n]*"|'[^'\n]*')|#[^\n]*/g, (_m, str: string | undefined) => str ?? '');
  const config: ClientConfig = { uriAliases: new Map() };
  const def = /^\s*uri_default\s*=\s*("[^"\n]*"|'[^'\n]*')/m.exec(clean);
  if (def) config.uriDefault = strings(def[1]!)[0];
  const aliases = /^\s*uri_aliases\s*=\s*\[([^\]]*)\]/m.exec(clean);
  for (const entry of aliases ? strings(aliases[1]!) : []) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    if (eq <= 0 || !/^[A-Za-z0-9_-]+$/.test(name)) {
      throw uriError(ErrorCode.ConfSyntax, `Malformed 'uri_aliases' config entry '${entry}', aliases may only contain 'a-Z, 0-9, _, -'`);
    }
    if (!config.uriAliases.has(name)) config.uriAliases.set(name, entry.slice(eq + 1));
  }
  return config;
}

export function readClientConfig(env: NodeJS.ProcessEnv, euid: number): ClientConfig {
  try {
    return parseClientConfig(readFileSync(clientConfigPath(env, euid), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { uriAliases: new Map() };
    throw err;
  }
}
