import { describe, expect, it } from 'vitest';
import { deviceNoProblem } from './device-number.js';

describe('deviceNoProblem', () => {
  it('accepts a device number of 1 to 64 characters', () => {
    expect(deviceNoProblem('D')).toBeUndefined();
    expect(deviceNoProblem('柜'.repeat(64))).toBeUndefined();
  });

  it('refuses an empty or blank device number', () => {
    expect(deviceNoProblem(' ')).toEqual({
      message: '设备编号不能为空',
      reason: 'missing query parameter: deviceNo',
    });
  });

  it('refuses control characters, which a terminal would obey', () => {
    for (const deviceNo of [
      '\u001b[31mRED',
      'A\u0000',
      'B\n',
      'C\u009b',
      'a\u202eb',
      'c\u2066d',
    ]) {
      expect(deviceNoProblem(deviceNo)).toEqual({
        message: '设备编号含有控制字符',
        reason: 'deviceNo contains control characters',
      });
    }
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(deviceNoProblem('😀'.repeat(64))).toBeUndefined();
    expect(deviceNoProblem('😀'.repeat(65))).toEqual({
      message: '设备编号过长(最多64个字符)',
      reason: 'deviceNo longer than 64 characters',
    });
  });
});
