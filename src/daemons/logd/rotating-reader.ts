/**
 * Reading a rolled-over log back (DOMAIN_READ_LOG_FILE, daemons.md §10.1), as
 * libvirt's rotating reader does: the files oldest first (`path.N-1` ...
 * `path.0`, `path`), missing ones skipped; start in the file whose inode is
 * asked for at the offset asked for, or, when no file has that inode (rolled
 * out of existence), at that offset of the oldest slot; continue into newer
 * files until `maxlen` bytes are read or the newest file ends.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ErrorDomain, systemError, type LogPosition } from '../../rpc/index.js';
import { errnoOf, strerror } from '../system-errors.js';
import { checkMaxBackups } from './rotating-file.js';

interface Slot {
  path: string;
  /** -1 when the file does not exist. */
  fd: number;
  inode: bigint;
}

const EBADF = { code: 'EBADF' };

function openSlot(path: string): Slot {
  try {
    const fd = openSync(path, 'r');
    return { path, fd, inode: BigInt(fstatSync(fd).ino) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, fd: -1, inode: -1n };
    throw systemError(ErrorDomain.None, `Unable to open file: ${path}: ${strerror(err)}`, errnoOf(err));
  }
}

export function readRotated(path: string, maxBackups: number, pos: LogPosition, maxlen: number): Buffer {
  checkMaxBackups(maxBackups);
  const slots: Slot[] = [];
  try {
    for (let i = maxBackups - 1; i >= 0; i--) slots.push(openSlot(`${path}.${i}`));
    slots.push(openSlot(path));
    let current = slots.findIndex((s) => s.fd !== -1 && s.inode === pos.inode);
    if (current === -1) current = 0;
    // libvirt seeks in the oldest slot even when that file is missing: EBADF.
    if (slots[current]!.fd === -1) {
      throw systemError(ErrorDomain.None, `Unable to seek to inode ${pos.inode} offset ${pos.offset}: ${strerror(EBADF)}`, errnoOf(EBADF));
    }
    const out = Buffer.alloc(maxlen);
    let got = 0;
    let offset: number | null = Number(pos.offset);
    for (; current < slots.length && got < maxlen; current++, offset = null) {
      const slot = slots[current]!;
      if (slot.fd === -1) continue;
      for (;;) {
        let n: number;
        try {
          n = readSync(slot.fd, out, got, maxlen - got, offset);
        } catch (err) {
          throw systemError(ErrorDomain.None, `Unable to read from file ${slot.path}: ${strerror(err)}`, errnoOf(err));
        }
        if (n === 0) break;
        got += n;
        if (offset !== null) offset += n;
        if (got === maxlen) break;
      }
    }
    return out.subarray(0, got);
  } finally {
    for (const s of slots) if (s.fd !== -1) closeSync(s.fd);
  }
}
