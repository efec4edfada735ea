/**
 * The globs of libvirt's allow lists (tls_allowed_dn_list,
 * sasl_allowed_username_list), matched as GLib's g_pattern_match_simple
 * matches them: `*` is any run of characters (none included), `?` exactly
 * one character, everything else itself; no escapes, no character classes.
 */
function patternRegExp(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'su');
}

/** Whether `text` matches at least one of `patterns`. */
export function matchesAnyPattern(text: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => patternRegExp(p).test(text));
}
