/**
 * Keys typed faster than the console reads them reach Ink as one chunk
 * ("/5932\r"): Ink splits escape sequences but hands a run of plain bytes over
 * whole, with the flags of none of them. This splits such a run back into the
 * key presses it was, so Enter, Backspace and Ctrl-U inside it still act.
 */
import type { Key } from 'ink';

function blank(like: Key): Key {
  const k = { ...like } as Record<string, unknown>;
  for (const name of Object.keys(k)) if (typeof k[name] === 'boolean') k[name] = false;
  return k as unknown as Key;
}

export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  if (input.length <= 1 || key.meta) return [[input, key]];
  const none = blank(key);
  return [...input].map((ch): [string, Key] => {
    const code = ch.codePointAt(0)!;
    if (ch === '\r' || ch === '\n') return ['', { ...none, return: true }];
    if (ch === '\t') return ['', { ...none, tab: true }];
    if (code === 0x7f || code === 0x08) return ['', { ...none, backspace: true }];
    // Ctrl-A .. Ctrl-Z arrive as bytes 1..26; Ink reports them as the letter with ctrl set.
    if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...none, ctrl: true }];
    return [ch, { ...none, shift: /[A-Z]/.test(ch) }];
  });
}
