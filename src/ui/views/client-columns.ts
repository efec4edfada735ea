/**
 * The clients table's columns, fitted to the terminal's width (issue 9,
 * item 7): an id, a pid or a uid is never cut, since a cut number reads as
 * another number. When the line is short, the least useful column gives way
 * first: the full timestamp shortens to the time of day, then goes; then the
 * age; the address takes what is left and, when it must be cut, keeps its end
 * (the port, the file name) and says so with '…'.
 */
import type { ClientInfo, ClientSummary } from '../../admin-client/index.js';
import { formatLocalTime } from '../cli/local-time.js';

export type ColumnKey = 'id' | 'transport' | 'since' | 'age' | 'ro' | 'user' | 'pid' | 'address';

export interface Column {
  key: ColumnKey;
  title: string;
  width: number;
}

export interface Row {
  c: ClientSummary;
  info: ClientInfo | undefined;
  /** Still authenticating, where the daemon says (ours). */
  unauthenticated?: boolean;
}

const INDENT = 2;
const GAP = 2;
const FULL_TIME = 24; // "2026-11-30 12:03:04+0100"
const SHORT_TIME = 8; // "12:03:04"

export function age(connectedAt: number, nowMs: number): string {
  const s = Math.max(0, Math.floor(nowMs / 1000 - connectedAt));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/**
 * Who: the unix user with its uid, and the SASL user beside it when both exist (issue 11);
 * "unauth" for a client still authenticating. The name shrinks first; the uid never.
 */
export function userCell(info: ClientInfo | undefined, width: number, unauthenticated?: boolean): string {
  const sasl = info?.saslUserName === undefined ? '' : info.unixUserName === undefined ? `sasl:${info.saslUserName}` : ` sasl:${info.saslUserName}`;
  const pending = unauthenticated ? (info?.unixUserName === undefined && !sasl ? 'unauth' : ' unauth') : '';
  if (info?.unixUserName === undefined) return sasl + pending;
  const uid = ` (${info.unixUserId})`;
  const room = width - uid.length - sasl.length - pending.length;
  const name = info.unixUserName.length <= room ? info.unixUserName : `${info.unixUserName.slice(0, Math.max(1, room - 1))}…`;
  return name + uid + sasl + pending;
}

const addressOf = (info: ClientInfo | undefined) => info?.x509DName ?? info?.sockAddr ?? '';

/** Cuts from the front, keeping the end (a port, a file name) whole. */
export function keepEnd(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return '';
  return `…${text.slice(text.length - (width - 1))}`;
}

export function layoutColumns(rows: Row[], width: number): Column[] {
  const widest = (title: string, values: string[]) => Math.max(title.length, ...values.map((v) => v.length)) + GAP;
  const id: Column = { key: 'id', title: 'id', width: widest('id', rows.map((r) => String(r.c.id))) };
  const transport: Column = { key: 'transport', title: 'transport', width: widest('transport', []) };
  const ageCol: Column = { key: 'age', title: 'age', width: 4 + GAP };
  const ro: Column = { key: 'ro', title: 'ro', width: 3 + 1 };
  const pid: Column = { key: 'pid', title: 'pid', width: widest('pid', rows.map((r) => String(r.info?.unixProcessId ?? ''))) };
  const fullUser = widest('user (uid)', rows.map((r) => userCell(r.info, Infinity, r.unauthenticated)));
  const minUser = widest('user (uid)', rows.map((r) => userCell(r.info, 0, r.unauthenticated)));
  const addressWant = Math.max(...rows.map((r) => addressOf(r.info).length), 0);
  const fixed = INDENT + id.width + transport.width + ro.width + pid.width;
  const room = width - fixed;
  const addressMin = Math.min(addressWant, 16);
  const userFull = Math.min(fullUser, 34);
  // From the most to the least complete: the timestamp shortens, the user name shrinks (its uid
  // stays), the timestamp goes, then the age. The first that leaves the address its minimum wins.
  const choices: { since?: number; age: boolean; user: number }[] = [
    { since: FULL_TIME + GAP, age: true, user: userFull },
    { since: SHORT_TIME + GAP, age: true, user: userFull },
    { since: SHORT_TIME + GAP, age: true, user: minUser },
    { age: true, user: minUser },
    { age: false, user: minUser },
  ];
  const used = (c: (typeof choices)[number]) => (c.since ?? 0) + (c.age ? ageCol.width : 0) + c.user;
  const pick = choices.find((c) => room - used(c) >= addressMin) ?? choices.at(-1)!;
  // What is left over lets a shrunk user name grow back first, then goes to the address.
  const user = Math.min(userFull, pick.user + Math.max(0, room - used(pick) - addressMin));
  const columns: Column[] = [id, transport];
  if (pick.since !== undefined) columns.push({ key: 'since', title: pick.since > FULL_TIME ? 'connected since' : 'since', width: pick.since });
  if (pick.age) columns.push(ageCol);
  columns.push(ro, { key: 'user', title: 'user (uid)', width: user }, pid);
  const left = room - (pick.since ?? 0) - (pick.age ? ageCol.width : 0) - user;
  columns.push({ key: 'address', title: 'address / TLS DN', width: Math.max(0, left) });
  return columns;
}

export function cell(col: Column, r: Row, nowMs: number): string {
  const { c, info } = r;
  const pad = (s: string) => s.padEnd(col.width);
  switch (col.key) {
    case 'id': return pad(String(c.id));
    case 'transport': return pad(c.transport);
    case 'since': return pad(col.width > FULL_TIME ? formatLocalTime(c.connectedAt) : formatLocalTime(c.connectedAt).slice(11, 19));
    case 'age': return pad(age(c.connectedAt, nowMs));
    case 'ro': return pad(info?.readonly === undefined ? '' : info.readonly ? 'yes' : 'no');
    case 'user': return pad(userCell(info, col.width - GAP, r.unauthenticated));
    case 'pid': return pad(String(info?.unixProcessId ?? ''));
    case 'address': return keepEnd(addressOf(info), col.width);
  }
}

export function headerLine(columns: Column[]): string {
  const address = (width: number) => (width >= 16 ? 'address / TLS DN' : width >= 7 ? 'address' : '');
  return ' '.repeat(INDENT) + columns.map((c) => (c.key === 'address' ? address(c.width) : c.title.padEnd(c.width))).join('');
}

export function rowLine(columns: Column[], r: Row, nowMs: number): string {
  return ' '.repeat(INDENT) + columns.map((c) => cell(c, r, nowMs)).join('');
}
