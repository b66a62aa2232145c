import { WebSocket } from 'ws';
import { CloseCode, closeReason, isSendableCloseCode } from './close-codes.js';

/**
 * The server's end of every WebSocket: ws's own, with one guard on the way
 * out, so that only 1000, 1001, 1003 (screens only), 1008, 1009, 1011 and
 * 4000 to 4999 are ever sent, the codes the vendor's clients are written
 * against.
 *
 * - ws answers a peer that breaks the framing (an unmasked frame, a reserved
 *   opcode, a fragmented control frame) with 1002, and bad UTF-8 with 1007:
 *   both go out as 1008, the generic policy violation.
 * - ws echoes the code of a close the client starts; a code the server may
 *   not send (3000, 1010, …) is answered with 1000 instead, which RFC 6455
 *   allows ("typically echos"). A close without a code is answered without.
 *
 * A reason is cut to the 123 bytes a close frame holds, where ws would throw.
 */
export class ServerSocket extends WebSocket {
  /**
   * Turns a cabinet screen away with 1003, the code its client is written
   * to stop on; no other close may send it, not even an echo of a client's.
   */
  refuseScreen(reason: string): void {
    super.close(CloseCode.unacceptable, closeReason(reason));
  }

  override close(code?: number, reason?: string | Buffer): void {
    super.close(
      sendable(code),
      typeof reason === 'string' ? closeReason(reason) : reason,
    );
  }
}

function sendable(code: number | undefined): number | undefined {
  if (code === undefined || isSendableCloseCode(code)) return code;
  if (code === 1002 || code === 1007) return CloseCode.badRequest;

  return CloseCode.purchaseFinished;
}
