/**
 * A log file written asynchronously through SonicBoom: writes never block the event
 * loop (the lines of one event-loop turn go to SonicBoom as one buffer at the turn's end), `reopen()` starts a new file at the same path after logrotate renamed the old
 * one, and close() resolves once every buffered byte is on disk. Opened like libvirt's
 * (O_APPEND|O_CREAT, mode 0600); a file that cannot be opened is refused at once with
 * libvirt's error, so a bad `daemon-log-outputs` changes nothing. The buffer is bounded:
 * if the disk falls behind by more than MAX_BUFFERED bytes, lines are dropped and the
 * stream writing the file says how many bytes went missing, rather than the daemon's
 * memory growing.
 */
import { closeSync, openSync } from 'node:fs';
import sonicBoom from 'sonic-boom';

// sonic-boom is CommonJS: its class comes through the default export.
const { SonicBoom } = sonicBoom;
import { systemError } from '../../rpc/index.js';
import { errnoOf, strerror } from '../system-errors.js';

const MAX_BUFFERED = 16 * 1024 * 1024;

export class FileTarget {
  readonly path: string;
  #boom: InstanceType<typeof SonicBoom>;
  #droppedBytes = 0;
  #failed = false;
  /** Lines of this event-loop turn, handed to SonicBoom as one buffer when the turn ends. */
  #pending: string[] = [];
  #drainScheduled = false;
  readonly #drain = (): void => {
    this.#drainScheduled = false;
    if (this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending.join(''), 'utf8');
    this.#pending = [];
    if (!(this.#boom as unknown as { destroyed: boolean }).destroyed) this.#boom.write(bytes as unknown as string);
  };

  constructor(path: string) {
    this.path = path;
    try {
      closeSync(openSync(path, 'a', 0o600));
    } catch (err) {
      throw systemError(0, `failed to open ${path}: ${strerror(err)}`, errnoOf(err));
    }
    // Buffer mode: in string mode SonicBoom measures its whole pending string on every write,
    // which cost more than everything else a log line does.
    this.#boom = new SonicBoom({ dest: path, append: true, mode: 0o600, sync: false, maxLength: MAX_BUFFERED, contentMode: 'buffer' });
    this.#boom.on('drop', (data: Buffer) => (this.#droppedBytes += data.length));
    this.#boom.on('error', (err: Error) => {
      // A full disk or a vanished directory must not take the daemon down; say it once.
      if (!this.#failed) process.stderr.write(`virtd: cannot write log file ${path}: ${strerror(err)}\n`);
      this.#failed = true;
    });
  }

  write(text: string): void {
    this.#pending.push(text);
    if (!this.#drainScheduled) {
      this.#drainScheduled = true;
      setImmediate(this.#drain);
    }
  }

  /** Bytes dropped since the last call, for the stream to say so in its own format. */
  takeDroppedBytes(): number {
    const dropped = this.#droppedBytes;
    this.#droppedBytes = 0;
    return dropped;
  }

  /** After a rename (logrotate): later lines go to a new file at the same path; none is lost. */
  reopen(): void {
    this.#drain(); // lines logged before the signal belong to the file being renamed
    this.#boom.reopen();
  }

  flushSync(): void {
    this.#drain();
    try {
      this.#boom.flushSync();
    } catch {
      // Not open yet, or already closed: nothing of ours is buffered then.
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#drain();
      if ((this.#boom as unknown as { destroyed: boolean }).destroyed) return resolve();
      this.#boom.once('close', () => resolve());
      this.#boom.once('error', () => resolve());
      this.#boom.end();
    });
  }
}
