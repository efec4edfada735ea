/**
 * Log filters (daemons.md §9, admin-api.md §3.6): a space-separated list of
 * `P:match`; the match is stored as `*match*` and compared as a glob against
 * the message's category; the first matching filter decides.
 */
import { ErrorCode, ErrorDomain, errorsFrom } from '../rpc/index.js';
import { type LogPriority, parsePriority } from './log-priority.js';

const fail = errorsFrom(ErrorDomain.None);

export interface LogFilter {
  priority: LogPriority;
  /** Stored with `*` at both ends, as libvirt stores it. */
  match: string;
  /** The glob compiled once. */
  pattern: RegExp;
}

/** Only single spaces separate items; empty items are skipped (tabs are not separators). */
export function splitItems(text: string): string[] {
  return text.split(' ').filter((item) => item.length > 0);
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.+()|[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

export function parseLogFilter(item: string): LogFilter {
  const colon = item.indexOf(':');
  if (colon === -1) throw fail(ErrorCode.InvalidArg, `Malformed format for filter '${item}'`);
  const priority = parsePriority(item.slice(0, colon));
  if (priority === undefined) {
    throw fail(ErrorCode.InvalidArg, `Invalid priority '${item.slice(0, colon)}' for filter '${item}'`);
  }
  let match = item.slice(colon + 1);
  // A leading '+' was the old "print a stack trace" flag: accepted and dropped.
  if (match.startsWith('+')) match = match.slice(1);
  if (match.length === 0) throw fail(ErrorCode.InvalidArg, `Invalid match string '${match}'`);
  const stored = `*${match}*`;
  return { priority, match: stored, pattern: globToRegExp(stored) };
}

/** The whole text is rejected on its first bad item. null or "" means no filters. */
export function parseLogFilters(text: string | null): LogFilter[] {
  if (!text) return [];
  return splitItems(text).map(parseLogFilter);
}

/** As the admin GET returns them: each `P:match` followed by one space; null when none. */
export function formatLogFilters(filters: readonly LogFilter[]): string | null {
  if (filters.length === 0) return null;
  return filters.map((f) => `${f.priority}:${f.match} `).join('');
}

/** The priority the first matching filter sets for a category, if any matches. */
export function filterPriority(filters: readonly LogFilter[], category: string): LogPriority | undefined {
  for (const f of filters) if (f.pattern.test(category)) return f.priority;
  return undefined;
}
