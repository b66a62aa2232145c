import type { WebSocket } from 'ws';
import { CloseCode } from './close-codes.js';

/**
 * Ends every connection in `sockets` for shutdown and resolves once all are
 * closed. An open socket is told 1001 and given `graceMs` to answer the
 * closing handshake before it is cut. A socket already closing (its purchase
 * ended, or it was refused, and the client never answered our close frame)
 * has had its chance: it is cut at once. Waiting for it is what made a
 * signal take a second to stop an emulator with nothing running.
 *
 * @example await closeAllSockets(app.websocketServer.clients, 1000);
 */
export async function closeAllSockets(
  sockets: Iterable<WebSocket>,
  graceMs: number,
): Promise<void> {
  await Promise.all([...sockets].map((socket) => closeOne(socket, graceMs)));
}

function closeOne(socket: WebSocket, graceMs: number): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();

  const closed = new Promise<void>((resolve) => socket.once('close', resolve));

  if (socket.readyState === socket.CLOSING) {
    socket.terminate();
    return closed;
  }

  const cut = setTimeout(() => socket.terminate(), graceMs);

  socket.close(CloseCode.goingAway, 'emulator shutting down');

  return closed.finally(() => clearTimeout(cut));
}
