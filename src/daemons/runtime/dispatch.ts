/**
 * Dispatch of one complete incoming frame, in libvirt's order of checks
 * (wire-protocol.md §5), with its exact errors. A failing call gets an error
 * reply with its own serial and the connection stays; only broken framing
 * (handled in ServerClient) closes a connection.
 *
 * Every path ends in exactly one `client.frameDone()`, after the frame's answer
 * (if any) has been written: that is what bounds a client that never reads.
 */
import {
  decodeHeader,
  encodeErrorReply,
  encodeFrame,
  encodeFrameWithFds,
  ErrorCode,
  ErrorDomain,
  errorsFrom,
  type Header,
  isKeepalive,
  KeepaliveProc,
  MessageStatus,
  MessageType,
  PONG_FRAME,
  replyHeader,
  VirError,
  XdrDecodeError,
  XdrReader,
  BODY_OFFSET,
} from '../../rpc/index.js';
import type { CallContext, ForwardHandler, ProcedureEntry } from './program.js';
import type { Server } from './server.js';
import type { ServerClient } from './server-client.js';

const fail = errorsFrom(ErrorDomain.Rpc);

export function dispatchFrame(server: Server, client: ServerClient, frame: Buffer): void {
  const done = () => client.frameDone();
  const header = decodeHeader(frame);
  // libvirt's RPC_SERVER_CLIENT_MSG_RX probe, which it logs at info for every message
  // (the line is built only when it goes somewhere: this is the hottest path).
  if (server.logger.enabled('info')) {
    server.logger.info(
      `RPC_SERVER_CLIENT_MSG_RX: client=${client.id} len=${frame.length} prog=${header.prog} vers=${header.vers} proc=${header.proc} type=${header.type} status=${header.status} serial=${header.serial}`,
    );
  }

  // 1. Keepalive is consumed below the programs: PING gets a PONG, anything else nothing.
  if (isKeepalive(header)) {
    if (header.proc === KeepaliveProc.Ping) client.send(PONG_FRAME, done);
    else done();
    return;
  }
  const isCall = header.type === MessageType.Call || header.type === MessageType.CallWithFds;

  // 2. The program must be registered on the server that owns this socket.
  const program = server.programFor(header.prog, header.vers);
  if (!program) {
    if (isCall) reject(client, header, fail(ErrorCode.Rpc, `Cannot find program ${header.prog} version ${header.vers}`));
    else done();
    return;
  }
  // 3./4. Replies, messages and streams for streams that do not exist are dropped silently.
  if (!isCall) {
    done();
    return;
  }
  if (header.type === MessageType.CallWithFds) {
    // The fds would arrive as out-of-band bytes we cannot receive; the stream is no longer framed.
    server.logger.warn(`client ${client.id} sent a call with file descriptors, which no program here takes`);
    client.close();
    return;
  }
  // 5. Calls always carry status OK.
  if (header.status !== MessageStatus.Ok) {
    reject(client, header, fail(ErrorCode.Rpc, `Unexpected message status ${header.status}`));
    return;
  }
  // 6. The procedure must exist (or the program passes it on).
  const entry = program.lookup(header.proc);
  if (!entry && !program.forward) {
    reject(client, header, fail(ErrorCode.Rpc, `unknown procedure: ${header.proc}`));
    return;
  }
  // 7. Before authentication only the AUTH_* procedures run.
  if (client.authPending && !entry?.beforeAuth) {
    reject(client, header, fail(ErrorCode.Rpc, 'authentication required'));
    return;
  }
  if (!entry) {
    const forward = program.forward!;
    server.pool.submit(() => runForward(server, client, forward, header, frame), false);
    return;
  }
  server.pool.submit(() => runCall(server, client, entry, header, frame, program.domain), entry.priority === true);
}

/** libvirt's error reply for a failed call; anything but a VirError is a bug here, logged and sent as an internal error. */
function errorReply(server: Server, header: Header, err: unknown, what: string): Buffer {
  if (err instanceof VirError) return encodeErrorReply(header, err);
  server.logger.error(`${what}: ${err instanceof Error ? err.stack : String(err)}`);
  return encodeErrorReply(header, fail(ErrorCode.InternalError, err instanceof Error ? err.message : String(err), { cause: err }));
}

async function runForward(server: Server, client: ServerClient, forward: ForwardHandler, header: Header, frame: Buffer): Promise<void> {
  let reply: Buffer;
  let afterQueued: (() => void) | undefined;
  try {
    if (client.closed) return;
    client.hasIdentity = true;
    reply = await forward({ header, frame, client, closeAfterReply: () => {}, afterReplyQueued: (fn) => (afterQueued = fn) });
  } catch (err) {
    afterQueued = undefined;
    reply = errorReply(server, header, err, `forwarding procedure ${header.proc}`);
  }
  await sendReply(client, reply, afterQueued);
  client.frameDone();
}

/** Queues a reply, runs the call's after-reply step at once (nothing can be written in between), resolves once written. */
function sendReply(client: ServerClient, reply: Buffer, afterQueued: (() => void) | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    client.send(reply, resolve);
    afterQueued?.();
  });
}

/** An error answered before dispatch: it holds the client's request slot until written, like any reply. */
function reject(client: ServerClient, header: Header, err: VirError): void {
  client.send(encodeErrorReply(header, err), () => client.frameDone());
}

async function runCall(
  server: Server,
  client: ServerClient,
  entry: ProcedureEntry,
  header: Header,
  frame: Buffer,
  domain: number,
): Promise<void> {
  let closeAfter = false;
  let fds: number[] = [];
  let afterQueued: (() => void) | undefined;
  const ctx: CallContext = {
    header,
    frame,
    client,
    closeAfterReply: () => (closeAfter = true),
    afterReplyQueued: (fn) => (afterQueued = fn),
    attachFds: (f) => (fds = f),
  };
  let reply: Buffer;
  let withFds = false;
  try {
    if (client.closed) return;
    // 8. Arguments; libvirt ignores bytes left after them.
    let args: unknown;
    try {
      args = entry.spec.args.decode(new XdrReader(frame, BODY_OFFSET));
    } catch (err) {
      if (err instanceof XdrDecodeError || err instanceof RangeError) {
        throw fail(ErrorCode.Rpc, 'Unable to decode message payload');
      }
      throw err;
    }
    // libvirt creates the client's identity on its first dispatched call.
    client.hasIdentity = true;
    if (entry.writeApi && client.readonly) {
      throw errorsFrom(domain)(ErrorCode.OperationDenied, `read only access prevents ${entry.writeApi}`);
    }
    // 9./10. Run the handler, encode its result.
    const ret = await entry.handler(args, ctx);
    const ok = replyHeader(header, MessageStatus.Ok);
    withFds = fds.length > 0;
    reply = withFds ? encodeFrameWithFds({ ...ok, type: MessageType.ReplyWithFds }, entry.spec.ret, ret, fds.length) : encodeFrame(ok, entry.spec.ret, ret);
  } catch (err) {
    afterQueued = undefined;
    reply = errorReply(server, header, err, entry.spec.name);
  }
  // The worker slot is held until the reply has been written (docs/architecture.md).
  await sendReply(client, reply, afterQueued);
  // After an error reply the descriptors are not sent, only closed.
  if (fds.length > 0) {
    try {
      await client.sendFds(fds, withFds);
    } catch (err) {
      server.logger.error(`client ${client.id}: cannot pass descriptors: ${(err as Error).message}`);
    }
  }
  if (closeAfter) client.closeAfterFlush();
  client.frameDone();
}
