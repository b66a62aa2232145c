import { formatChinaCompactStamp } from '../time/china-time.js';

const SERIAL_SPAN = 100_000_000;

/**
 * Issues `tradeNo`s: the session's start time as `yyMMddHHmmss` in China time,
 * then an 8-digit serial. The serial starts at a random point and counts up,
 * so no two orders of one emulator share a number until 10^8 have been made,
 * and a restarted emulator is unlikely to repeat the numbers of the last run.
 *
 * The vendor's example `19101114451054062737` was taken at 2019-10-11
 * 14:45:10, 34 s before its order's `createTime`: the number belongs to the
 * session, not to the moment the order is made.
 */
export class TradeNumberIssuer {
  #nextSerial: number;

  /** `random` returns a value in [0, 1), like `Math.random`. */
  constructor(random: () => number = Math.random) {
    this.#nextSerial = Math.floor(random() * SERIAL_SPAN) % SERIAL_SPAN;
  }

  issue(sessionStartedAt: number): string {
    const serial = this.#nextSerial;

    this.#nextSerial = (serial + 1) % SERIAL_SPAN;

    return (
      formatChinaCompactStamp(sessionStartedAt) +
      String(serial).padStart(8, '0')
    );
  }
}
