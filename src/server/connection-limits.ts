import type { Socket } from 'node:net';

/**
 * Counts the WebSocket connections open at once, in all and per client
 * address, and refuses the one past a limit. A connection holds its place
 * from its handshake until its TCP connection closes, so a handshake that
 * fails gives its place back too.
 *
 * @example
 * const limits = new ConnectionLimits(10_000, 100);
 * const refusal = limits.admit(request.raw.socket, true);
 * if (refusal) reply.code(503).send(...);
 */
export class ConnectionLimits {
  readonly #maxConnections: number;
  readonly #maxPerAddress: number;
  readonly #perAddress = new Map<string, number>();
  #open = 0;

  constructor(maxConnections: number, maxPerAddress: number) {
    this.#maxConnections = maxConnections;
    this.#maxPerAddress = maxPerAddress;
  }

  /** WebSocket connections open now. */
  get open(): number {
    return this.#open;
  }

  /**
   * Takes a place for the connection on `socket`, also one among its
   * address's when `countPerAddress` (a purchase socket). Returns why it is
   * refused, or undefined when it is admitted.
   */
  admit(socket: Socket, countPerAddress: boolean): string | undefined {
    if (this.#open >= this.#maxConnections) {
      return `too many WebSocket connections (limit ${this.#maxConnections}); try again later`;
    }

    const address = clientAddress(socket);
    const fromAddress = this.#perAddress.get(address) ?? 0;

    if (countPerAddress && fromAddress >= this.#maxPerAddress) {
      return `too many purchase sockets from ${address} (limit ${this.#maxPerAddress}); close one first`;
    }

    // Gone already: its 'close' has been and will not come again.
    if (socket.destroyed) return undefined;

    this.#open += 1;
    if (countPerAddress) this.#perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      this.#open -= 1;
      if (countPerAddress) this.#release(address);
    });

    return undefined;
  }

  #release(address: string): void {
    const left = (this.#perAddress.get(address) ?? 1) - 1;

    if (left === 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, left);
  }
}

// A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; one client is
// one address whichever way it came in.
function clientAddress(socket: Socket): string {
  const address = socket.remoteAddress ?? 'unknown';

  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
