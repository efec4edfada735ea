/** Opens the pino destination of one libvirt log output (daemons.md §9, docs/logging.md). */
import { JournaldStream, SyslogStream } from './datagram-streams.js';
import { FileTarget } from './file-target.js';
import type { LogOutput } from '../../conf/log-outputs.js';
import { JsonFileStream, StderrStream, TextFileStream } from './text-stream.js';

export interface LogDestination {
  write(json: string): void;
  flushSync(): void;
  close(): Promise<void>;
  /** Files only: start a new file at the same path (after logrotate renamed it). */
  file?: FileTarget;
}

export interface DestinationOptions {
  /** journald's and syslog's sockets; injectable so tests own them. */
  journalSocket?: string;
  syslogSocket?: string;
}

/** A file that cannot be opened throws libvirt's system error; nothing else is opened then. */
export function openDestination(output: LogOutput, ident: string, opts: DestinationOptions = {}): LogDestination {
  switch (output.destination) {
    case 'stderr':
      return new StderrStream();
    case 'file':
      return new TextFileStream(new FileTarget(output.name!));
    case 'json':
      return new JsonFileStream(new FileTarget(output.name!));
    case 'journald':
      return new JournaldStream(ident, opts.journalSocket);
    case 'syslog':
      return new SyslogStream(output.name ?? ident, opts.syslogSocket);
  }
}
