import { describe, expect, it } from 'vitest';
import { TradeNumberIssuer } from './trade-number.js';

const sessionStart = Date.UTC(2019, 9, 11, 6, 45, 10);

describe('TradeNumberIssuer', () => {
  it('issues 20 digits: the China-time session stamp, then 8 serial digits', () => {
    const issuer = new TradeNumberIssuer(() => 0.54062737);

    expect(issuer.issue(sessionStart)).toBe('19101114451054062737');
  });

  it('never repeats within a second: the serial counts up', () => {
    const issuer = new TradeNumberIssuer(() => 0);
    const numbers = Array.from({ length: 1000 }, () =>
      issuer.issue(sessionStart),
    );

    expect(new Set(numbers).size).toBe(1000);
    expect(numbers[0]).toBe('19101114451000000000');
    expect(numbers[999]).toBe('19101114451000000999');
  });

  it('wraps the serial after 99999999 and keeps 8 digits', () => {
    const issuer = new TradeNumberIssuer(() => 0.99999999);

    expect(issuer.issue(sessionStart)).toBe('19101114451099999999');
    expect(issuer.issue(sessionStart)).toBe('19101114451000000000');
  });

  it('starts at a random serial by default', () => {
    const a = new TradeNumberIssuer().issue(sessionStart);

    expect(a).toMatch(/^191011144510\d{8}$/);
  });
});
