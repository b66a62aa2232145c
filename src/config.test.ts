import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type EmulatorOptions } from './config.js';
import { ConfigError } from './errors.js';

describe('resolveConfig', () => {
  it('fills in the defaults and freezes the result', () => {
    const config = resolveConfig();

    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      scenario: 'happy-path',
      speed: 1,
      rounding: 'half-up',
      imageUrls: 'absolute',
      successAsString: false,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('resolves a relative fixtures folder against the working directory', () => {
    expect(resolveConfig({ fixturesDir: 'my-fixtures' }).fixturesDir).toBe(
      resolve(process.cwd(), 'my-fixtures'),
    );
  });

  it('reports every wrong option at once, each with what was expected and received', () => {
    const wrong = {
      port: 70000,
      scenario: 'nope',
      speed: 0,
      rounding: 'down',
    } as unknown as EmulatorOptions;

    expect(() => resolveConfig(wrong)).toThrow(ConfigError);

    try {
      resolveConfig(wrong);
    } catch (err) {
      const message = (err as ConfigError).message;

      expect((err as ConfigError).code).toBe('EMU_ERR_CONFIG_INVALID');
      expect(message).toContain('port: expected an integer from 0 to 65535, got 70000');
      expect(message).toContain('scenario: expected one of happy-path');
      expect(message).toContain('got "nope"');
      expect(message).toContain('speed: expected a number above 0');
      expect(message).toContain('rounding: expected one of half-up, up, got "down"');
    }
  });
});
