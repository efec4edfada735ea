/**
 * Loaded with `node --import` into a program under test: records every native addon the
 * process loads (process.dlopen) into the file named by $DLOPEN_TRAP_FILE, one path a line.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.DLOPEN_TRAP_FILE;
if (file) {
  const dlopen = process.dlopen.bind(process);
  process.dlopen = (module: { exports: unknown }, filename: string, ...rest: number[]) => {
    appendFileSync(file, `${filename}\n`);
    return dlopen(module, filename, ...rest);
  };
}
