import { describe, expect, it } from 'vitest';
import { CloseCode, closeReason, isSendableCloseCode } from './close-codes.js';

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

describe('isSendableCloseCode', () => {
  it('allows the normal, policy, size and fault codes and 4000 to 4999', () => {
    const allowed = [1000, 1001, 1008, 1009, 1011, 4000, 4001, 4999];

    expect(allowed.filter(isSendableCloseCode)).toEqual(allowed);
  });

  it('refuses the codes clients are not written against', () => {
    const refused = [
      999, 1002, 1003, 1004, 1005, 1006, 1007, 1010, 1012, 1015, 2000, 3000,
      3999, 5000, 1000.5,
    ];

    expect(refused.filter(isSendableCloseCode)).toEqual([]);
  });

  it("covers every code the server itself chooses on a shopper's socket", () => {
    const { unacceptable, ...shopperCodes } = CloseCode;

    expect(Object.values(shopperCodes).every(isSendableCloseCode)).toBe(true);
    // The screen's rejection code, sent on the screen channel only.
    expect(isSendableCloseCode(unacceptable)).toBe(false);
  });
});
