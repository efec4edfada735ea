/**
 * A client certificate's Distinguished Name as libvirt shows it in
 * client-info and matches it against tls_allowed_dn_list: the subject's
 * attributes in certificate order, "C=GB,ST=London,O=Example,CN=client1".
 */
import { matchesAnyPattern } from '../simple-pattern.js';

/** Node's parsed subject: attribute -> value, or values when repeated. */
export function formatDn(subject: Record<string, string | string[]> | undefined): string | undefined {
  if (!subject) return undefined;
  const parts: string[] = [];
  for (const [attr, value] of Object.entries(subject)) {
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${attr}=${v.replace(/([,+"\\<>;])/g, '\\$1')}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

/** tls_allowed_dn_list entries are globs: `*` any run of characters, `?` one (simple-pattern.ts). */
export function dnAllowed(dn: string, patterns: readonly string[]): boolean {
  return matchesAnyPattern(dn, patterns);
}
