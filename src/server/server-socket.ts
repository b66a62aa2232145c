import { WebSocket } from 'ws';
import { CloseCode, closeReason } from './close-codes.js';

/**
 * The server's end of every WebSocket: ws's own, with one guard on the way
 * out. ws answers a peer that breaks the framing (an unmasked frame, a
 * reserved opcode, a fragmented control frame) with 1002, and bad UTF-8 with
 * 1007; the mini program's clients are written against 1000, 1001, 1008,
 * 1009, 1011 and 4000 to 4999 only, so both go out as 1008, the generic
 * policy violation. A reason is cut to the 123 bytes a close frame holds,
 * where ws would throw.
 */
export class ServerSocket extends WebSocket {
  override close(code?: number, reason?: string | Buffer): void {
    const sent = code === 1002 || code === 1007 ? CloseCode.badRequest : code;

    super.close(
      sent,
      typeof reason === 'string' ? closeReason(reason) : reason,
    );
  }
}
