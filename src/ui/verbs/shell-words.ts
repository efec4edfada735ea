/**
 * A command line typed at the console's `:` palette, split into commands and
 * words as virt-admin's own shell splits it: blanks separate words; `;` or a
 * newline separates commands; a word starting with `#` comments out the rest
 * of the line; '…' quotes everything literally; "…" quotes with backslash
 * escapes; a backslash outside single quotes takes the next character as is,
 * and a backslash-newline disappears. Errors are virt-admin's: `dangling \`
 * and `missing "`.
 */
export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

const BLANK = new Set([' ', '\t']);

/** Every command of the line, each as its words; empty commands are dropped. */
export function splitCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let i = 0;
  const endCommand = () => {
    if (words.length) commands.push(words);
    words = [];
  };
  while (i < line.length) {
    while (i < line.length && (BLANK.has(line[i]!) || (line[i] === '\\' && line[i + 1] === '\n'))) i += line[i] === '\\' ? 2 : 1;
    if (i >= line.length) break;
    const c = line[i]!;
    if (c === ';' || c === '\n') {
      i++;
      endCommand();
      continue;
    }
    if (c === '#') {
      while (i < line.length && line[i] !== '\n') i++;
      endCommand();
      continue;
    }
    const [word, next] = readWord(line, i);
    words.push(word);
    i = next;
  }
  endCommand();
  return commands;
}

function readWord(line: string, start: number): [string, number] {
  let out = '';
  let single = false;
  let double = false;
  let i = start;
  while (i < line.length) {
    const c = line[i]!;
    if (!single && !double && (BLANK.has(c) || c === ';' || c === '\n')) break;
    if (!double && c === "'") {
      single = !single;
      i++;
      continue;
    }
    if (!single && c === '\\') {
      i++;
      if (i >= line.length) throw new ShellSyntaxError('dangling \\');
      if (line[i] === '\n') {
        i++;
        continue;
      }
    } else if (!single && c === '"') {
      double = !double;
      i++;
      continue;
    }
    out += line[i]!;
    i++;
  }
  if (double) throw new ShellSyntaxError('missing "');
  return [out, i];
}

/** Quotes a word so that splitCommands reads it back unchanged (for completion). */
export function quoteWord(word: string): string {
  return word !== '' && /^[^\s'"\\;#]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
