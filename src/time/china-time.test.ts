import { describe, expect, it } from 'vitest';
import {
  formatChinaCompactStamp,
  formatChinaDateTime,
  parseChinaDateTime,
} from './china-time.js';

describe('China time', () => {
  // The vendor's tradeNo 19101114451054062737 starts at 2019-10-11 14:45:10
  // China time, which is 06:45:10 UTC.
  const vendorSessionStart = Date.UTC(2019, 9, 11, 6, 45, 10);

  it('writes the tradeNo stamp as yyMMddHHmmss in China time', () => {
    expect(formatChinaCompactStamp(vendorSessionStart)).toBe('191011144510');
  });

  it('writes createTime as yyyy-MM-dd HH:mm:ss in China time', () => {
    expect(formatChinaDateTime(vendorSessionStart + 34_000)).toBe(
      '2019-10-11 14:45:44',
    );
  });

  it('is already tomorrow in China at 16:00 UTC', () => {
    const lateUtc = Date.UTC(2026, 11, 31, 16, 0, 5);

    expect(formatChinaDateTime(lateUtc)).toBe('2027-01-01 00:00:05');
    expect(formatChinaCompactStamp(lateUtc)).toBe('270101000005');
  });

  it('drops milliseconds rather than rounding them', () => {
    expect(formatChinaDateTime(vendorSessionStart + 999)).toBe(
      '2019-10-11 14:45:10',
    );
  });

  it('reads yyyy-MM-dd HH:mm:ss as China time', () => {
    expect(parseChinaDateTime('2019-10-11 14:45:10')).toBe(vendorSessionStart);
  });

  it('reads no date that does not exist, nor another form', () => {
    expect(parseChinaDateTime('2019-02-30 10:00:00')).toBeUndefined();
    expect(parseChinaDateTime('2019-10-11 24:00:00')).toBeUndefined();
    expect(parseChinaDateTime('2019-10-11T14:45:10')).toBeUndefined();
  });
});
