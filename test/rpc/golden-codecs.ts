/** The codecs the golden-vector tests apply, by program and procedure. */
import { Admin, type Codec, LockSpace, LogManager, MessageStatus, MessageType, Program, Remote, withFdCount } from '../../src/rpc/index.js';
import { errorBody } from '../../src/rpc/index.js';
import type { Header } from '../../src/rpc/index.js';

type Spec = { proc: number; args: Codec<any>; ret: Codec<any> };

const byProgram = new Map<number, Map<number, Spec>>([
  [Program.Admin, new Map(Object.values(Admin).map((s) => [s.proc, s as Spec]))],
  [Program.Remote, new Map(Object.values(Remote).map((s) => [s.proc, s as Spec]))],
  [Program.LogManager, new Map(Object.values(LogManager).map((s) => [s.proc, s as Spec]))],
  [Program.LockSpace, new Map(Object.values(LockSpace).map((s) => [s.proc, s as Spec]))],
]);

/** The codec for a frame's body, or undefined when none is written yet. */
export function codecFor(h: Header): Codec<any> | undefined {
  if (h.status === MessageStatus.Error) return errorBody;
  const spec = byProgram.get(h.prog)?.get(h.proc);
  if (!spec) return undefined;
  if (h.type === MessageType.Call) return spec.args;
  if (h.type === MessageType.Reply) return spec.ret;
  // The body of a *_WITH_FDS message starts with the count of descriptors that follow it.
  if (h.type === MessageType.CallWithFds) return withFdCount(spec.args);
  if (h.type === MessageType.ReplyWithFds) return withFdCount(spec.ret);
  return undefined;
}
