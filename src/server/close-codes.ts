/**
 * The close codes the purchase and screen endpoints send. On the purchase
 * endpoint a failure frame with the full message always goes first; the
 * close reason is a short English summary for logs and debuggers, within the
 * 123 bytes RFC 6455 allows.
 */
export const CloseCode = {
  /** The purchase ended: `final` or a failure frame was sent. */
  purchaseFinished: 1000,
  /** The emulator is shutting down. */
  goingAway: 1001,
  /**
   * A screen without a usable device number: the vendor's screen shows the
   * reason of a 1003 and stops reconnecting.
   */
  unacceptable: 1003,
  /**
   * A required query parameter is missing or empty, (with strict tokens) the
   * token was not minted here or has expired, or the client broke the
   * WebSocket framing (which ws would answer with 1002).
   */
  badRequest: 1008,
  /** A message from the client is over `maxMessageBytes`. */
  messageTooBig: 1009,
  /** The scenario cannot be played on this device's cabinet. */
  emulatorFault: 1011,
  /** The device is already in a purchase with another shopper. */
  deviceBusy: 4001,
  /** The shopper stopped reading: too much is waiting to be sent to it. */
  notReading: 4002,
} as const;

// What the mini program's clients are written against: the normal closes,
// the policy, size and server-fault codes, and the application range.
const SENDABLE_STANDARD_CODES: readonly number[] = [
  1000, 1001, 1008, 1009, 1011,
];

/**
 * Whether the server may send `code` on a shopper's socket: 1000, 1001,
 * 1008, 1009, 1011 or 4000 to 4999. Every close the server starts there,
 * scenario steps included, uses one. (A cabinet screen is also turned away
 * with 1003, its own client's rejection code.)
 */
export function isSendableCloseCode(code: number): boolean {
  return (
    SENDABLE_STANDARD_CODES.includes(code) || (code >= 4000 && code <= 4999)
  );
}

const MAX_REASON_BYTES = 123;

/** Cuts `reason` to at most 123 bytes of UTF-8 without splitting a character. */
export function closeReason(reason: string): string {
  let bytes = 0;
  let cut = '';

  for (const char of reason) {
    bytes += Buffer.byteLength(char);
    if (bytes > MAX_REASON_BYTES) break;
    cut += char;
  }

  return cut;
}
