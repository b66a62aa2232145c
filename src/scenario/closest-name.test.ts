import { describe, expect, it } from 'vitest';
import { closestName } from './closest-name.js';

describe('closestName', () => {
  const steps = ['open-door', 'close-door', 'take', 'wait', 'knock'];

  it('finds a name with one letter wrong, missing or swapped', () => {
    expect(closestName('opem-door', steps)).toBe('open-door');
    expect(closestName('tke', steps)).toBe('take');
    expect(closestName('tkae', steps)).toBe('take');
  });

  it('suggests nothing for a word that is not a typo of any name', () => {
    expect(closestName('jump', steps)).toBeUndefined();
  });
});
