/**
 * virConf syntax (daemons.md §5.1), as a pure function: `name = value`
 * statements separated by newlines or `;`, values that are integers, strings
 * ('...', "...", or """...""" over several lines) or lists `[ v, v, ]`, and
 * `#` comments. The first occurrence of a repeated name wins.
 */
import { ConfigError } from './config-error.js';

export type ConfValue =
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'list'; value: ConfValue[] };

export interface ConfEntry {
  value: ConfValue;
  line: number;
}

export interface ConfFile {
  file: string;
  entries: Map<string, ConfEntry>;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isEol = (c: string | undefined) => c === '\n' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

class Cursor {
  pos = 0;
  line = 1;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}
  get ch(): string | undefined {
    return this.text[this.pos];
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  next(): void {
    if (this.text[this.pos] === '\n') this.line++;
    this.pos++;
  }
  fail(what: string): never {
    throw new ConfigError(`configuration file syntax error: ${this.file}:${this.line}: ${what}`, this.file, this.line);
  }
  skipBlanks(): void {
    while (isBlank(this.ch)) this.next();
  }
  skipComment(): void {
    if (this.ch === '#') while (!this.done && !isEol(this.ch)) this.next();
  }
  /** Blanks, newlines and comments: allowed between list items. */
  skipSpaceAndComments(): void {
    for (;;) {
      if (isBlank(this.ch) || isEol(this.ch)) this.next();
      else if (this.ch === '#') this.skipComment();
      else return;
    }
  }
}

function parseName(c: Cursor): string {
  if (!isLetter(c.ch)) c.fail('expecting a name');
  const start = c.pos;
  while (!c.done && /[A-Za-z0-9_]/.test(c.ch!)) c.next();
  return c.text.slice(start, c.pos);
}

function parseString(c: Cursor): ConfValue {
  if (c.text.startsWith('"""', c.pos)) {
    const end = c.text.indexOf('"""', c.pos + 3);
    if (end === -1) c.fail('unterminated string');
    const value = c.text.slice(c.pos + 3, end);
    while (c.pos < end + 3) c.next();
    return { type: 'string', value };
  }
  const quote = c.ch!;
  c.next();
  const start = c.pos;
  while (!c.done && c.ch !== quote && !isEol(c.ch)) c.next();
  if (c.ch !== quote) c.fail('unterminated string');
  const value = c.text.slice(start, c.pos);
  c.next();
  return { type: 'string', value };
}

function parseNumber(c: Cursor): ConfValue {
  const start = c.pos;
  if (c.ch === '-' || c.ch === '+') c.next();
  if (!isDigit(c.ch)) c.fail('unterminated number');
  while (isDigit(c.ch)) c.next();
  return { type: 'int', value: Number(c.text.slice(start, c.pos)) };
}

function parseList(c: Cursor): ConfValue {
  c.next(); // [
  const items: ConfValue[] = [];
  c.skipSpaceAndComments();
  while (c.ch !== ']') {
    if (c.done) c.fail('list is not closed with ]');
    items.push(parseValue(c));
    c.skipSpaceAndComments();
    if (c.ch === ',') {
      c.next();
      c.skipSpaceAndComments();
    } else if (c.ch !== ']') {
      c.fail(c.done ? 'list is not closed with ]' : 'expecting a separator in list');
    }
  }
  c.next(); // ]
  return { type: 'list', value: items };
}

function parseValue(c: Cursor): ConfValue {
  const ch = c.ch;
  if (ch === '"' || ch === "'") return parseString(c);
  if (ch === '[') return parseList(c);
  if (isDigit(ch) || ch === '-' || ch === '+') return parseNumber(c);
  return c.fail('expecting a value');
}

function parseStatement(c: Cursor, entries: Map<string, ConfEntry>): void {
  const name = parseName(c);
  c.skipBlanks();
  if (c.ch !== '=') c.fail('expecting an assignment');
  c.next();
  c.skipBlanks();
  const line = c.line;
  const value = parseValue(c);
  c.skipBlanks();
  c.skipComment();
  const after: string | undefined = c.text[c.pos];
  if (after !== undefined && !isEol(after) && after !== ';') c.fail('expecting a separator');
  if (!entries.has(name)) entries.set(name, { value, line });
}

export function parseConf(text: string, file: string): ConfFile {
  const c = new Cursor(text, file);
  const entries = new Map<string, ConfEntry>();
  while (!c.done) {
    c.skipBlanks();
    if (c.done) break;
    if (c.ch === '#') c.skipComment();
    else if (isEol(c.ch) || c.ch === ';') c.next();
    else parseStatement(c, entries);
  }
  return { file, entries };
}
