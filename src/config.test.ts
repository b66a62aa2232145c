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
      strictTokens: false,
      maxMessageBytes: 65_536,
      heartbeatMs: 25_000,
      maxConnections: 10_000,
      maxConnectionsPerIp: 100,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('resolves a relative fixtures folder against the working directory', () => {
    expect(resolveConfig({ fixturesDir: 'my-fixtures' }).fixturesDir).toBe(
      resolve(process.cwd(), 'my-fixtures'),
    );
  });

  it('refuses an option it does not know, naming the ones it does', () => {
    expect(() => resolveConfig({ prot: 1 } as EmulatorOptions)).toThrow(
      /prot: not an option; expected one of host, port, scenario/,
    );
    expect(() =>
      resolveConfig({ logger: {} } as EmulatorOptions, ['logger']),
    ).not.toThrow();
  });

  it('refuses options that are not an object', () => {
    expect(() => resolveConfig(null as unknown as EmulatorOptions)).toThrow(
      'invalid options: expected an object, got null',
    );
  });

  it('shows NaN as NaN, not as JSON null', () => {
    expect(() => resolveConfig({ speed: Number.NaN })).toThrow(
      'speed: expected a number from 0.01 to 1000, got NaN',
    );
  });

  it('refuses a speed too slow for timers to wait', () => {
    expect(() => resolveConfig({ speed: 0.001 })).toThrow(
      'speed: expected a number from 0.01 to 1000, got 0.001',
    );
  });

  it('reports every wrong option at once, each with what was expected and received', () => {
    const wrong = {
      port: 70000,
      scenario: ' ',
      speed: 0,
      rounding: 'down',
    } as unknown as EmulatorOptions;

    expect(() => resolveConfig(wrong)).toThrow(ConfigError);

    try {
      resolveConfig(wrong);
    } catch (err) {
      const message = (err as ConfigError).message;

      expect((err as ConfigError).code).toBe('EMU_ERR_CONFIG_INVALID');
      expect(message).toContain(
        'port: expected an integer from 0 to 65535, got 70000',
      );
      expect(message).toContain(
        `scenario: expected a bundled scenario's name or a scenario file, got " "`,
      );
      expect(message).toContain(
        'speed: expected a number from 0.01 to 1000, got 0',
      );
      expect(message).toContain(
        'rounding: expected one of half-up, up, got "down"',
      );
    }
  });

  it('keeps no journal unless asked, and puts the default one in the data folder', () => {
    expect(resolveConfig().journal).toBeUndefined();
    expect(resolveConfig({ journal: false }).journal).toBeUndefined();
    expect(resolveConfig({ journal: true }).journal).toBe(
      resolve(process.cwd(), '.cabinet-emu', 'orders.jsonl'),
    );
    expect(resolveConfig({ journal: true, dataDir: '/tmp/emu' }).journal).toBe(
      '/tmp/emu/orders.jsonl',
    );
    expect(resolveConfig({ journal: 'orders.jsonl' }).journal).toBe(
      resolve(process.cwd(), 'orders.jsonl'),
    );
  });

  it('refuses a journal or data folder that is not a path', () => {
    expect(() =>
      resolveConfig({ journal: 1, dataDir: '' } as unknown as EmulatorOptions),
    ).toThrow(
      'invalid options:\n  journal: expected a file path, true or false, got 1\n  dataDir: expected a folder path, got ""',
    );
  });

  it('checks the connection limits, each with one message', () => {
    const wrong = {
      maxMessageBytes: 0,
      heartbeatMs: 60_000,
      maxConnections: 1.5,
      maxConnectionsPerIp: '10',
    } as unknown as EmulatorOptions;

    expect(() => resolveConfig(wrong)).toThrow(
      [
        'invalid options:',
        '  maxMessageBytes: expected an integer from 1 to 104857600, got 0',
        '  heartbeatMs: expected an integer from 10 to 59999, got 60000',
        '  maxConnections: expected an integer from 1 to 1000000, got 1.5',
        '  maxConnectionsPerIp: expected an integer from 1 to 1000000, got "10"',
      ].join('\n'),
    );
  });
});
