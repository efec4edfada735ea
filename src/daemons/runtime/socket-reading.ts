/**
 * Stopping and restarting the kernel reads of a Node socket, for a re-exec:
 * `pause()` only stops 'data' events, libuv keeps reading into the stream's
 * buffer, and bytes read are bytes the next image would never see. Node has
 * no public call for this; its stream handle has readStop/readStart and a
 * `reading` flag net.Socket keeps in step with them, so both are set here.
 */
import type { Socket } from 'node:net';

interface StreamHandle {
  reading?: boolean;
  readStop?(): number;
  readStart?(): number;
}

const handleOf = (socket: Socket) => (socket as unknown as { _handle?: StreamHandle })._handle;

/** Nothing more is read from the kernel until `restartReading`. */
export function stopReading(socket: Socket): void {
  const h = handleOf(socket);
  if (!h?.readStop) return;
  h.reading = false;
  h.readStop();
}

/** Reads resume (whether data then flows depends on pause/resume as usual). */
export function restartReading(socket: Socket): void {
  const h = handleOf(socket);
  if (!h?.readStart || h.reading) return;
  h.reading = true;
  h.readStart();
}
