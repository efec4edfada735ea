/**
 * virtlogd's program (0x87539319 v1, daemons.md §10.1): log files written
 * through a pipe the daemon hands out, read back by position, appended to.
 * Strings are at most 4 MiB.
 */
import { byteString, fixedOpaque, int, string, struct, uhyper, uint } from '../codec.js';
import { procedure } from './procedure.js';

/** The most a READ may ask for, and the longest string. */
export const LOG_STRING_MAX = 4194304;
const str = string(LOG_STRING_MAX);
/** Log text travels as bytes: a guest's output need not be UTF-8. */
const text = byteString(LOG_STRING_MAX);

export interface LogDomain {
  uuid: Buffer;
  name: string;
}
export interface LogPosition {
  inode: bigint;
  offset: bigint;
}

const domain = struct<LogDomain>({ uuid: fixedOpaque(16), name: str });
export const logPosition = struct<LogPosition>({ inode: uhyper, offset: uhyper });

/** DOMAIN_OPEN_LOG_FILE flags. */
export const LogOpen = { Truncate: 1 } as const;

export const LogManager = {
  openLogFile: procedure(
    1,
    'DOMAIN_OPEN_LOG_FILE',
    struct<{ driver: string; dom: LogDomain; path: string; flags: number }>({ driver: str, dom: domain, path: str, flags: uint }),
    logPosition,
  ),
  getLogFilePosition: procedure(2, 'DOMAIN_GET_LOG_FILE_POSITION', struct<{ path: string; flags: number }>({ path: str, flags: uint }), logPosition),
  readLogFile: procedure(
    3,
    'DOMAIN_READ_LOG_FILE',
    struct<{ path: string; pos: LogPosition; maxlen: bigint; flags: number }>({ path: str, pos: logPosition, maxlen: uhyper, flags: uint }),
    struct<{ data: Buffer }>({ data: text }),
  ),
  appendLogFile: procedure(
    4,
    'DOMAIN_APPEND_LOG_FILE',
    struct<{ driver: string; dom: LogDomain; path: string; message: Buffer; flags: number }>({ driver: str, dom: domain, path: str, message: text, flags: uint }),
    struct<{ ret: number }>({ ret: int }),
  ),
} as const;
