/**
 * Log outputs (daemons.md §9, admin-api.md §3.6): a space-separated list of
 * `P:stderr`, `P:journald`, `P:syslog:IDENT`, `P:file:PATH`, and ours beside libvirt's,
 * `P:json:PATH`: a file of JSON lines for log shippers (docs/logging.md).
 */
import { resolve } from 'node:path';
import { ErrorCode, ErrorDomain, errorsFrom } from '../rpc/index.js';
import { splitItems } from './log-filters.js';
import { type LogPriority, parsePriority } from './log-priority.js';

const fail = errorsFrom(ErrorDomain.None);

export type LogDestination = 'stderr' | 'journald' | 'syslog' | 'file' | 'json';

export interface LogOutput {
  priority: LogPriority;
  destination: LogDestination;
  /** The syslog ident or the absolute file path (file, json); absent for stderr and journald. */
  name?: string;
}

/** Fields each destination takes after the priority. */
const FIELD_COUNT: Readonly<Record<LogDestination, number>> = { stderr: 1, journald: 1, syslog: 2, file: 2, json: 2 };

/** Destinations whose name is a file path: it may hold colons, and relative paths are made absolute. */
export function isFileDestination(d: LogDestination): boolean {
  return d === 'file' || d === 'json';
}

function isDestination(d: string): d is LogDestination {
  return Object.hasOwn(FIELD_COUNT, d);
}

export function parseLogOutput(item: string): LogOutput {
  const parts = item.split(':');
  if (parts.length < 2) throw fail(ErrorCode.InvalidArg, `Malformed format for log output '${item}'`);
  const [prioText, destination] = parts as [string, string];
  const priority = parsePriority(prioText);
  if (priority === undefined) {
    throw fail(ErrorCode.InvalidArg, `Invalid log priority '${prioText}' for log output '${item}'`);
  }
  if (!isDestination(destination)) {
    throw fail(ErrorCode.InvalidArg, `Invalid log destination '${destination}' for log output '${item}'`);
  }
  // A file path may itself hold colons: everything after "P:file:" is the path.
  const fields = isFileDestination(destination) && parts.length > 3 ? [destination, parts.slice(2).join(':')] : parts.slice(1);
  if (fields.length !== FIELD_COUNT[destination] || (fields.length === 2 && fields[1] === '')) {
    throw fail(
      ErrorCode.InvalidArg,
      `Log output '${item}' does not meet the format requirements for destination type '${destination}'`,
    );
  }
  const name = fields[1];
  if (name === undefined) return { priority, destination };
  return { priority, destination, name: isFileDestination(destination) ? resolve(name) : name };
}

/** The whole text is rejected on its first bad item; a repeated destination replaces the earlier one. */
export function parseLogOutputs(text: string): LogOutput[] {
  const outputs: LogOutput[] = [];
  for (const item of splitItems(text)) {
    const out = parseLogOutput(item);
    const same = outputs.findIndex((o) => o.destination === out.destination && o.name === out.name);
    if (same !== -1) outputs.splice(same, 1);
    outputs.push(out);
  }
  return outputs;
}

/** As the admin GET returns them: joined by one space, no trailing space. */
export function formatLogOutputs(outputs: readonly LogOutput[]): string {
  return outputs.map((o) => (o.name === undefined ? `${o.priority}:${o.destination}` : `${o.priority}:${o.destination}:${o.name}`)).join(' ');
}
