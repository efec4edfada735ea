/**
 * A hostile peer, run as its own process (often as the unprivileged test user):
 * it connects, writes up to COUNT calls as fast as the socket takes them and
 * never reads a reply. It stops writing when COUNT calls are out, or when the
 * daemon has stopped reading for BLOCKED_MS (the socket's buffer stays full),
 * prints `{"sent":N,"blocked":bool}` and keeps the connection open until killed.
 *
 *   node flood-client.js SOCKET KIND COUNT [BLOCKED_MS]
 *   KIND: get-type (REMOTE CONNECT_GET_TYPE), unknown-program, ping (keepalive PING)
 */
import { connect } from 'node:net';
import { encodeCall, PING_FRAME, Program, PROGRAM_VERSION, Remote, voidCodec } from '../../src/rpc/index.js';

const [path, kind = 'get-type', countText = '2000000', blockedText = '2000'] = process.argv.slice(2);
const count = Number(countText);
const blockedMs = Number(blockedText);

function frameOf(serial: number): Buffer {
  switch (kind) {
    case 'unknown-program':
      return encodeCall(0x12345678, PROGRAM_VERSION, 1, serial, voidCodec, undefined);
    case 'ping':
      return PING_FRAME;
    default:
      return encodeCall(Program.Remote, PROGRAM_VERSION, Remote.connectGetType.proc, serial, voidCodec, undefined);
  }
}

/** Calls per write: big writes, so the flood is limited by the daemon, not by us. */
const BATCH = 4096;
const socket = connect(path!);
socket.on('error', (err) => {
  process.stdout.write(`${JSON.stringify({ error: err.message })}\n`);
  process.exit(2);
});
socket.pause();
socket.once('connect', () => {
  let sent = 0;
  const finish = (blocked: boolean) => process.stdout.write(`${JSON.stringify({ sent, blocked })}\n`);
  const writeMore = () => {
    while (sent < count) {
      const n = Math.min(BATCH, count - sent);
      const batch = Buffer.concat(Array.from({ length: n }, (_, i) => frameOf(sent + i)));
      sent += n;
      if (!socket.write(batch)) {
        const timer = setTimeout(() => finish(true), blockedMs);
        socket.once('drain', () => {
          clearTimeout(timer);
          writeMore();
        });
        return;
      }
    }
    finish(false);
  };
  writeMore();
});
process.on('SIGTERM', () => process.exit(0));
