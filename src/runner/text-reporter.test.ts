import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from './run-result.js';
import { createTextReporter } from './text-reporter.js';

class Collector extends Writable {
  text = '';

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

const PASSED: ScenarioResult = {
  name: 'two yoghurts',
  file: 'scenarios/two-yoghurts.yaml',
  passed: true,
  durationMs: 3.4,
  virtualMs: 12_400,
  failures: [],
};

const FAILED: ScenarioResult = {
  name: 'fruit by weight',
  file: 'scenarios/fruit.yaml',
  passed: false,
  durationMs: 5,
  virtualMs: 9000,
  failures: [
    'frame 2 (update at +5.632s): data.list[0].quantity: expected 394, found 393',
    'order: expected an order of 2.43, found none',
  ],
  transcriptDiff:
    '--- scenarios/fruit.transcript\tgolden\n+++ scenarios/fruit.transcript\tthis run\n@@ -1,1 +1,1 @@\n-a\n+b\n',
};

const BROKEN: ScenarioResult = {
  name: 'broken',
  file: 'scenarios/broken.yaml',
  passed: false,
  durationMs: 0,
  virtualMs: 0,
  failures: [],
  error: 'scenario "broken": steps[2].aisleId: no aisle 99',
};

// A clock that has moved 1.25 s by the time the summary is written.
function clock(): () => number {
  const readings = [100, 1350];

  return () => readings.shift() ?? 1350;
}

describe('createTextReporter', () => {
  it('writes a line per scenario, what broke under a failed one, and a summary, off a terminal', () => {
    const out = new Collector();
    const reporter = createTextReporter(out, {
      isTTY: false,
      total: 3,
      env: {},
      now: clock(),
    });
    const results = [PASSED, FAILED, BROKEN];

    for (const result of results) {
      reporter.scenarioStarted(result.name);
      reporter.scenarioFinished(result);
    }
    const summary = reporter.finish(results);

    expect(out.text).toBe(
      '✓ two yoghurts  (scenarios/two-yoghurts.yaml, virtual 12.4s, 3 ms)\n' +
        '✗ fruit by weight  (scenarios/fruit.yaml, virtual 9.0s, 5 ms)\n' +
        '    frame 2 (update at +5.632s): data.list[0].quantity: expected 394, found 393\n' +
        '    order: expected an order of 2.43, found none\n' +
        '    --- scenarios/fruit.transcript\tgolden\n' +
        '    +++ scenarios/fruit.transcript\tthis run\n' +
        '    @@ -1,1 +1,1 @@\n' +
        '    -a\n' +
        '    +b\n' +
        '✗ broken  (scenarios/broken.yaml)\n' +
        '    error: scenario "broken": steps[2].aisleId: no aisle 99\n' +
        '\n' +
        '1 passed, 2 failed (3 scenarios, 1.3 s)\n',
    );
    expect(summary).toEqual({
      passed: 1,
      failed: 2,
      total: 3,
      durationMs: 1250,
      line: '1 passed, 2 failed (3 scenarios, 1.3 s)',
    });
  });

  it('says scenario in the singular for a run of one', () => {
    const out = new Collector();
    const reporter = createTextReporter(out, {
      isTTY: false,
      total: 1,
      env: {},
      now: clock(),
    });

    reporter.scenarioFinished(PASSED);

    expect(reporter.finish([PASSED]).line).toBe(
      '1 passed, 0 failed (1 scenario, 1.3 s)',
    );
  });

  it('keeps one status line on a terminal and clears it before each result', () => {
    const out = new Collector();
    const reporter = createTextReporter(out, {
      isTTY: true,
      total: 2,
      env: { NO_COLOR: '1' },
      now: clock(),
    });

    reporter.scenarioStarted('two yoghurts');
    reporter.scenarioFinished(PASSED);
    reporter.scenarioStarted('second');
    reporter.scenarioFinished({ ...PASSED, name: 'second' });
    reporter.finish([PASSED, PASSED]);

    const clear = '\r\x1b[2K';
    expect(out.text).toBe(
      '[1/2] two yoghurts' +
        clear +
        '✓ two yoghurts  (scenarios/two-yoghurts.yaml, virtual 12.4s, 3 ms)\n' +
        '[1/2]' +
        clear +
        '[2/2] second' +
        clear +
        '✓ second  (scenarios/two-yoghurts.yaml, virtual 12.4s, 3 ms)\n' +
        '\n' +
        '2 passed, 0 failed (2 scenarios, 1.3 s)\n',
    );
  });

  it('colours marks and the summary on a terminal unless NO_COLOR is set', () => {
    const out = new Collector();
    const reporter = createTextReporter(out, {
      isTTY: true,
      total: 1,
      env: { NO_COLOR: '' },
      now: clock(),
    });

    reporter.scenarioFinished(FAILED);
    reporter.finish([FAILED]);

    expect(out.text).toContain('\x1b[31m✗\x1b[39m fruit by weight');
    expect(out.text).toContain('    \x1b[32m+b\x1b[39m\n');
    expect(out.text).toContain(
      '\x1b[31m0 passed, 1 failed (1 scenario, 1.3 s)\x1b[39m\n',
    );
  });
});
