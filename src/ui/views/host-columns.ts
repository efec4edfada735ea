/**
 * The host table's columns (issue 12), fitted to the terminal: daemon,
 * server, id, transport, ro, user, pid, age, connected since, and the process
 * behind the client taking what is left. A number is never cut; the time of
 * connection goes first when the line is short, then the process shortens
 * (keeping its command name).
 */
import { formatLocalTime } from '../cli/local-time.js';
import { type HostClientRow, processText } from '../store/host-rows.js';
import { age, userCell } from './client-columns.js';

export type HostColumnKey = 'daemon' | 'server' | 'id' | 'transport' | 'ro' | 'user' | 'pid' | 'age' | 'since' | 'process';

export interface HostColumn {
  key: HostColumnKey;
  title: string;
  width: number;
}

const INDENT = 2;
const GAP = 2;

/** The identity of a client as the process column shows it: the local process, else the TLS DN or address. */
function processCell(r: HostClientRow): string {
  if (r.process) return processText(r.process);
  return r.info?.x509DName ?? r.info?.sockAddr ?? (r.process === null ? '?' : '');
}

export function layoutHostColumns(rows: HostClientRow[], width: number): HostColumn[] {
  const widest = (title: string, values: string[], max = Infinity) => Math.min(max, Math.max(title.length, ...values.map((v) => v.length))) + GAP;
  const cols: HostColumn[] = [
    { key: 'daemon', title: 'daemon', width: widest('daemon', rows.map((r) => r.daemon), 14) },
    { key: 'server', title: 'server', width: widest('server', rows.map((r) => r.c.server), 12) },
    { key: 'id', title: 'id', width: widest('id', rows.map((r) => String(r.c.id))) },
    { key: 'transport', title: 'via', width: 4 + GAP },
    { key: 'ro', title: 'ro', width: 3 + 1 },
    { key: 'user', title: 'user (uid)', width: widest('user (uid)', rows.map((r) => userCell(r.info, Infinity, r.unauthenticated)), 30) },
    { key: 'pid', title: 'pid', width: widest('pid', rows.map((r) => String(r.info?.unixProcessId ?? ''))) },
    { key: 'age', title: 'age', width: 4 + GAP },
  ];
  const used = INDENT + cols.reduce((n, c) => n + c.width, 0);
  // The time of day of the connection, if it leaves the process 20 columns.
  if (width - used - (8 + GAP) >= 20) cols.push({ key: 'since', title: 'since', width: 8 + GAP });
  const left = width - INDENT - cols.reduce((n, c) => n + c.width, 0);
  cols.push({ key: 'process', title: 'process', width: Math.max(0, left) });
  return cols;
}

/** Where the process column's text is cut. */
const CUT_MARK = '...';

function cell(col: HostColumn, r: HostClientRow, nowMs: number): string {
  const pad = (s: string) => s.padEnd(col.width);
  const cut = (s: string) => (s.length <= col.width - GAP ? pad(s) : pad(`${s.slice(0, Math.max(1, col.width - GAP - 1))}…`));
  switch (col.key) {
    case 'daemon': return cut(r.daemon);
    case 'server': return cut(r.c.server);
    case 'id': return pad(String(r.c.id));
    case 'transport': return pad(r.c.transport);
    case 'ro': return pad(r.info?.readonly === undefined ? '' : r.info.readonly ? 'yes' : 'no');
    case 'user': return pad(userCell(r.info, col.width - GAP, r.unauthenticated));
    case 'pid': return pad(String(r.info?.unixProcessId ?? ''));
    case 'age': return pad(age(r.c.connectedAt, nowMs));
    case 'since': return pad(formatLocalTime(r.c.connectedAt).slice(11, 19));
    case 'process': {
      const text = processCell(r);
      if (text.length <= col.width) return text;
      // Shortened in the middle: the command's name and the end of its arguments (often what
      // tells two alike apart: a guest's name, a socket, a flag) both stay in sight. The mark
      // is ASCII: nearly every row of a real host is cut here, and a line with any other
      // character costs Ink's width measuring ~300 times as much (Unicode segmentation, each
      // frame), a fifth of a page's frame with 10,000 clients.
      // The start keeps 40% of the column (the command and its first arguments); the mark takes from the end.
      const keep = Math.max(0, col.width - CUT_MARK.length);
      const head = Math.min(keep, Math.ceil((col.width - 1) * 0.4));
      return `${text.slice(0, head)}${CUT_MARK}${text.slice(text.length - (keep - head))}`;
    }
  }
}

export function hostHeaderLine(cols: HostColumn[]): string {
  return ' '.repeat(INDENT) + cols.map((c) => c.title.padEnd(c.width)).join('');
}

export function hostRowLine(cols: HostColumn[], r: HostClientRow, nowMs: number): string {
  return ' '.repeat(INDENT) + cols.map((c) => cell(c, r, nowMs)).join('');
}
