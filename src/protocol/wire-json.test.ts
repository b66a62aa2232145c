import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../errors.js';
import { Decimal } from '../pricing/decimal.js';
import { ScaledNumber, toWireJson } from './wire-json.js';

const scaled = (value: string, scale: number) =>
  toWireJson(new ScaledNumber(new Decimal(value), scale));

describe('ScaledNumber', () => {
  it('writes 3.08 at scale 5 as 3.08000', () => {
    expect(scaled('3.08', 5)).toBe('3.08000');
  });

  it('writes 0.0056 at scale 5 as 0.00560', () => {
    expect(scaled('0.0056', 5)).toBe('0.00560');
  });

  it('writes 15.8 at scale 2 as 15.80', () => {
    expect(scaled('15.8', 2)).toBe('15.80');
  });

  it('writes zero at scale 2 as 0.00', () => {
    expect(scaled('0', 2)).toBe('0.00');
  });

  it('refuses a value with more decimals than its scale rather than rounding it', () => {
    expect(() => scaled('2.427', 2)).toThrow(WireFormatError);
  });
});

describe('toWireJson', () => {
  it('keeps keys in insertion order with no whitespace', () => {
    expect(toWireJson({ msg: '', success: true, type: 'door' })).toBe(
      '{"msg":"","success":true,"type":"door"}',
    );
  });

  it('writes Chinese text as is, not as \\u escapes', () => {
    expect(toWireJson({ msg: '操作失败' })).toBe('{"msg":"操作失败"}');
  });

  it('escapes quotes and control characters in strings', () => {
    expect(toWireJson({ msg: 'a"b\n' })).toBe('{"msg":"a\\"b\\n"}');
  });

  it('writes arrays, nested objects and empty lists', () => {
    expect(toWireJson({ data: { list: [] }, ids: [1, 2] })).toBe(
      '{"data":{"list":[]},"ids":[1,2]}',
    );
  });

  it('refuses a plain number with decimals: money must be scaled', () => {
    expect(() => toWireJson({ amount: 2.43 })).toThrow(WireFormatError);
  });

  it('refuses integers beyond the safe range', () => {
    expect(() => toWireJson(2 ** 53)).toThrow(/not a safe integer/);
  });
});
