import type { WebSocket } from 'ws';

/** Pongs a peer may miss in a row before its connection is cut. */
export const MISSED_PONGS_ALLOWED = 2;

/**
 * Pings `socket` every `intervalMs` of wall-clock time, so that proxies which
 * drop a connection idle for 60 s keep it, and so that a phone gone without
 * a word (out of coverage, switched off) is noticed. A peer that misses
 * `MISSED_PONGS_ALLOWED` pongs in a row is terminated: no close frame, since
 * it is not listening; `onDead` is called first. Stops by itself when the
 * socket closes.
 *
 * @example keepAlive(socket, 25_000, () => log.info('shopper gone silent'));
 */
export function keepAlive(
  socket: WebSocket,
  intervalMs: number,
  onDead: () => void,
): void {
  let missed = 0;
  let awaitingPong = false;

  const timer = setInterval(() => {
    if (awaitingPong) missed += 1;
    if (missed >= MISSED_PONGS_ALLOWED) {
      clearInterval(timer);
      onDead();
      socket.terminate();
      return;
    }
    awaitingPong = true;
    socket.ping();
  }, intervalMs);

  // Wall-clock time on purpose: a session in virtual or sped-up time says
  // nothing about how long a proxy has seen the connection idle.
  timer.unref();

  socket.on('pong', () => {
    awaitingPong = false;
    missed = 0;
  });
  socket.once('close', () => clearInterval(timer));
}
