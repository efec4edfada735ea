/**
 * tls_priority (daemons.md §5.2) is a GnuTLS priority string; our TLS is
 * Node's OpenSSL. A priority is translated only where the translation
 * enforces exactly what it says, and refused otherwise: a string we cannot
 * enforce must stop the daemon at start-up, never be served as if it held.
 *
 * What translates:
 * - the base keywords NORMAL, PERFORMANCE, SECURE128 (and its old name
 *   SECURE) and PFS: they differ in which ciphers they allow, and OpenSSL's
 *   default list already holds only ciphers of 128 bits or more; PFS also
 *   drops key exchanges without forward secrecy;
 * - `+`/`-`/`!` on VERS-ALL, VERS-TLS-ALL, VERS-TLS1.0 ... VERS-TLS1.3 (and
 *   VERS-SSL3.0, VERS-DTLS*, which a TLS listener never offers anyway);
 * - %SERVER_PRECEDENCE and %NO_TICKETS.
 *
 * This build offers TLS 1.2 and 1.3 only: versions below 1.2 that a keyword
 * enables are not offered (stricter than libvirt, README). A priority whose
 * versions leave nothing we offer is refused.
 */
import { constants } from 'node:crypto';
import { DEFAULT_CIPHERS, type SecureVersion } from 'node:tls';

export interface TlsPolicy {
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
  ciphers?: string;
  honorCipherOrder?: boolean;
  secureOptions?: number;
}

export class TlsPriorityError extends Error {}

type Version = 'TLS1.0' | 'TLS1.1' | 'TLS1.2' | 'TLS1.3';
const ALL_VERSIONS: readonly Version[] = ['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'];
/** What Node offers, in order; each maps to Node's name. */
const OFFERED: Readonly<Partial<Record<Version, SecureVersion>>> = { 'TLS1.2': 'TLSv1.2', 'TLS1.3': 'TLSv1.3' };

const KEYWORDS: Readonly<Record<string, { pfsOnly: boolean }>> = {
  NORMAL: { pfsOnly: false },
  PERFORMANCE: { pfsOnly: false },
  SECURE128: { pfsOnly: false },
  SECURE: { pfsOnly: false },
  PFS: { pfsOnly: true },
};

/** The versions a VERS-* element names; undefined when it is not a version element. */
function versionsNamed(name: string): readonly Version[] | undefined {
  if (name === 'VERS-ALL' || name === 'VERS-TLS-ALL') return ALL_VERSIONS;
  if (name === 'VERS-SSL3.0' || name.startsWith('VERS-DTLS')) return [];
  const m = /^VERS-(TLS1\.[0-3])$/.exec(name);
  return m ? [m[1] as Version] : undefined;
}

export function parseTlsPriority(text: string): TlsPolicy {
  const [keyword = '', ...modifiers] = text.split(':');
  const base = KEYWORDS[keyword];
  if (!base) {
    throw new TlsPriorityError(
      `'${keyword}' is not a priority keyword this build can enforce (it enforces ${Object.keys(KEYWORDS).join(', ')} with VERS-* modifiers)`,
    );
  }
  const versions = new Set<Version>(ALL_VERSIONS);
  const policy: Omit<TlsPolicy, 'minVersion' | 'maxVersion'> = {};
  for (const m of modifiers) {
    if (m === '%SERVER_PRECEDENCE') {
      policy.honorCipherOrder = true;
      continue;
    }
    if (m === '%NO_TICKETS') {
      policy.secureOptions = (policy.secureOptions ?? 0) | constants.SSL_OP_NO_TICKET;
      continue;
    }
    const sign = m[0];
    const named = sign === '+' || sign === '-' || sign === '!' ? versionsNamed(m.slice(1)) : undefined;
    if (!named) throw new TlsPriorityError(`the element '${m}' is not enforced by this build (only VERS-* modifiers, %SERVER_PRECEDENCE and %NO_TICKETS are)`);
    for (const v of named) {
      if (sign === '+') versions.add(v);
      else versions.delete(v);
    }
  }
  const offered = ALL_VERSIONS.filter((v) => versions.has(v) && OFFERED[v]);
  if (offered.length === 0) {
    const wanted = ALL_VERSIONS.filter((v) => versions.has(v));
    throw new TlsPriorityError(
      `it allows ${wanted.length ? wanted.join(', ') : 'no protocol version'}, and this build offers only TLS1.2 and TLS1.3`,
    );
  }
  return {
    ...policy,
    minVersion: OFFERED[offered[0]!]!,
    maxVersion: OFFERED[offered[offered.length - 1]!]!,
    ...(base.pfsOnly ? { ciphers: `${DEFAULT_CIPHERS}:!kRSA` } : {}),
  };
}
