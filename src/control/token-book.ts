import { randomBytes } from 'node:crypto';
import type { Clock } from '../time/clock.js';

/**
 * How long a minted token lives when the caller does not say: two hours, a
 * common lifetime of the login tokens mini programs are given.
 */
export const DEFAULT_TOKEN_TTL_SECONDS = 7200;

/** The longest a token may live: 30 days. */
export const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/** How many live tokens are kept; the oldest go first beyond this. */
const MAX_TOKENS = 10_000;

export interface MintedToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * The login tokens the emulator has handed out, standing in for the
 * vendor's login call that gives the mini program its `token`. With
 * `strictTokens` the purchase endpoint accepts only these.
 */
export class TokenBook {
  readonly #clock: Clock;
  readonly #expiry = new Map<string, number>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A new random token that expires `ttlSeconds` from now. */
  mint(ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS): MintedToken {
    this.#forgetExpired();

    const token = randomBytes(16).toString('hex');
    const expiresAt = this.#clock.now() + ttlSeconds * 1000;

    this.#expiry.set(token, expiresAt);
    if (this.#expiry.size > MAX_TOKENS) {
      const oldest = this.#expiry.keys().next().value;

      if (oldest !== undefined) this.#expiry.delete(oldest);
    }

    return { token, expiresAt };
  }

  /** Withdraws a token; false when it was never minted or has expired. */
  revoke(token: string): boolean {
    const known = this.accepts(token);

    this.#expiry.delete(token);

    return known;
  }

  /** Whether `token` was minted here and has not expired or been revoked. */
  accepts(token: string): boolean {
    const expiresAt = this.#expiry.get(token);

    return expiresAt !== undefined && this.#clock.now() < expiresAt;
  }

  #forgetExpired(): void {
    const now = this.#clock.now();

    for (const [token, expiresAt] of this.#expiry) {
      if (expiresAt <= now) this.#expiry.delete(token);
    }
  }
}
