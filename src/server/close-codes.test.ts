import { describe, expect, it } from 'vitest';
import { closeReason } from './close-codes.js';

describe('closeReason', () => {
  it('keeps a short reason whole', () => {
    expect(closeReason('device busy')).toBe('device busy');
  });

  it('cuts ASCII at 123 bytes', () => {
    expect(closeReason('x'.repeat(200))).toBe('x'.repeat(123));
  });

  it('cuts Chinese text on a character boundary, never mid-character', () => {
    // 41 characters of 3 bytes are 123 bytes; a 42nd would not fit.
    const reason = closeReason('操'.repeat(50));

    expect(reason).toBe('操'.repeat(41));
    expect(Buffer.byteLength(reason)).toBe(123);
  });

  it('does not split a character that would straddle the limit', () => {
    const reason = closeReason(`a${'操'.repeat(50)}`);

    expect(Buffer.byteLength(reason)).toBe(121);
    expect(reason).toBe(`a${'操'.repeat(40)}`);
  });
});
