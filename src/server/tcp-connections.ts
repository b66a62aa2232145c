import type { Server } from 'node:net';
import type { Socket } from 'node:net';

/**
 * Keeps every TCP connection a server accepts, so that shutdown can cut the
 * ones Node's `closeAllConnections()` does not know of. Under TLS a
 * connection becomes an HTTP connection only once its handshake is done: a
 * client that connects and never starts the handshake (a port scanner, a
 * plain-HTTP client on the wrong scheme that has not sent yet) would
 * otherwise hold `server.close()` up for the two minutes of TLS's handshake
 * timeout.
 *
 * @example
 * const connections = trackTcpConnections(app.server);
 * app.addHook('preClose', async () => connections.cutAll());
 */
export function trackTcpConnections(server: Server): { cutAll(): void } {
  const open = new Set<Socket>();
  let cutting = false;

  server.on('connection', (socket: Socket) => {
    // One accepted between shutdown starting and the listener closing.
    if (cutting) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });

  return {
    cutAll: () => {
      cutting = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
  };
}
