/** virtlogd's program (0x87539319 v1, daemons.md §10.1) over the log handler. */
import { ErrorDomain, LogManager, LogOpen, Program, PROGRAM_VERSION, unsupportedFlags } from '../../../rpc/index.js';
import type { LogHandler } from '../../logd/log-handler.js';
import { entry, Program as RuntimeProgram } from '../../runtime/index.js';

const noFlags = (flags: number, allowed: number, fn: string) => {
  if ((flags & ~allowed) !== 0) throw unsupportedFlags(ErrorDomain.Rpc, flags, fn);
};

export function createLogdProgram(logs: LogHandler): RuntimeProgram {
  return new RuntimeProgram(Program.LogManager, PROGRAM_VERSION, ErrorDomain.Rpc, [
    entry(LogManager.openLogFile, ({ driver, dom, path, flags }, ctx) => {
      noFlags(flags, LogOpen.Truncate, 'virLogManagerProtocolDispatchDomainOpenLogFile');
      const { pos, writeFd } = logs.open(driver, dom, path, (flags & LogOpen.Truncate) !== 0);
      ctx.attachFds!([writeFd]);
      return pos;
    }),
    entry(LogManager.getLogFilePosition, ({ path, flags }) => {
      noFlags(flags, 0, 'virLogManagerProtocolDispatchDomainGetLogFilePosition');
      return logs.position(path);
    }),
    entry(LogManager.readLogFile, ({ path, pos, maxlen, flags }) => {
      noFlags(flags, 0, 'virLogManagerProtocolDispatchDomainReadLogFile');
      return { data: logs.read(path, pos, maxlen) };
    }),
    entry(LogManager.appendLogFile, ({ path, message, flags }) => {
      noFlags(flags, 0, 'virLogManagerProtocolDispatchDomainAppendLogFile');
      logs.append(path, message);
      return { ret: 0 };
    }),
  ]);
}
