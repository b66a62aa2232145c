import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../time/virtual-clock.js';
import { DEFAULT_TOKEN_TTL_SECONDS, TokenBook } from './token-book.js';

describe('TokenBook', () => {
  it('accepts a minted token until it expires', () => {
    const clock = new VirtualClock(1_000_000);
    const tokens = new TokenBook(clock);
    const { token, expiresAt } = tokens.mint(10);

    expect(expiresAt).toBe(1_010_000);
    expect(tokens.accepts(token)).toBe(true);
    clock.advance(9_999);
    expect(tokens.accepts(token)).toBe(true);
    clock.advance(1);
    expect(tokens.accepts(token)).toBe(false);
  });

  it('gives a token two hours when not told otherwise', () => {
    const tokens = new TokenBook(new VirtualClock(0));

    expect(tokens.mint().expiresAt).toBe(DEFAULT_TOKEN_TTL_SECONDS * 1000);
  });

  it('refuses a token it never minted, and one revoked', () => {
    const tokens = new TokenBook(new VirtualClock(0));
    const { token } = tokens.mint();

    expect(tokens.accepts('made-up')).toBe(false);
    expect(tokens.revoke(token)).toBe(true);
    expect(tokens.accepts(token)).toBe(false);
    expect(tokens.revoke(token)).toBe(false);
  });
});
