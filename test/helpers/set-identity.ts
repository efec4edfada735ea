/**
 * Run as some user: opens a connection on a daemon's socket and tries to set
 * its identity to root's (CONNECT_SET_IDENTITY); prints `ok` or the error.
 *
 *   node set-identity.js SOCKET [URI] [ro|rw]
 */
import { CONNECT_RO, decodeHeader, decodeValue, errorBody, frameBody, MessageStatus, Program, Remote, TypedParamType } from '../../src/rpc/index.js';
import { RawClient } from './raw-client.js';

const c = await RawClient.connect(process.argv[2]!);
const call = async (proc: number, codec: Parameters<RawClient['send']>[2], args: unknown): Promise<string> => {
  c.send(Program.Remote, proc, codec, args);
  const reply = (await c.next())!;
  return decodeHeader(reply).status === MessageStatus.Ok ? 'ok' : decodeValue(errorBody, frameBody(reply)).message;
};
await call(Remote.authList.proc, Remote.authList.args, undefined);
const [uri = 'qemu:///system', access = 'ro'] = process.argv.slice(3);
await call(Remote.connectOpen.proc, Remote.connectOpen.args, { name: uri, flags: access === 'ro' ? CONNECT_RO : 0 });
const params = [
  { field: 'user-name', type: TypedParamType.String, value: 'root' },
  { field: 'unix-user-id', type: TypedParamType.Ullong, value: 0n },
];
process.stdout.write(`${await call(Remote.connectSetIdentity.proc, Remote.connectSetIdentity.args, { params, flags: 0 })}\n`);
c.close();
