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
   * A required query parameter is missing or empty, or (with strict tokens)
   * the token was not minted here or has expired.
   */
  badRequest: 1008,
  /** The scenario cannot be played on this device's cabinet. */
  emulatorFault: 1011,
  /** The device is already in a purchase with another shopper. */
  deviceBusy: 4001,
} as const;

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
