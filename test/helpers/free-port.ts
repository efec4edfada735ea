/** A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it). */
import { type AddressInfo, createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
