import {
  copyFileSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runScenarioFiles } from '../../src/runner/run-scenario-files.js';
import { ScenarioRunner } from '../../src/runner/scenario-runner.js';
import { validateScenarioFiles } from '../../src/runner/validate-scenario-files.js';
import { readScenarioFile } from '../../src/scenario/scenario-file.js';
import { BIN, launch, ROOT } from './launch.js';
import { scratchFolder } from '../support/scratch-folder.js';

const SCENARIOS_DIR = join(ROOT, 'scenarios');
const shipped = readdirSync(SCENARIOS_DIR).filter((file) =>
  file.endsWith('.yaml'),
);

function collect(): Writable & { text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });

  return Object.assign(out, { text: () => text });
}

/** A scratch folder holding copies of some shipped scenarios and transcripts. */
function scratchWith(...names: string[]): string {
  const dir = scratchFolder('cabinet-emu-run-');

  for (const name of names) {
    copyFileSync(
      join(SCENARIOS_DIR, `${name}.yaml`),
      join(dir, `${name}.yaml`),
    );
    copyFileSync(
      join(SCENARIOS_DIR, `${name}.transcript`),
      join(dir, `${name}.transcript`),
    );
  }
  return dir;
}

function run(files: string[], record = false) {
  const out = collect();

  return runScenarioFiles(files, {
    record,
    reporter: 'text',
    concurrency: 4,
    out,
  }).then((results) => ({ results, report: out.text() }));
}

describe('cabinet-emu run', () => {
  it('ships at least 16 scenarios, each with its golden transcript', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(16);
    for (const file of shipped) {
      expect(readdirSync(SCENARIOS_DIR)).toContain(
        file.replace(/\.yaml$/, '.transcript'),
      );
    }
  });

  it('passes every shipped scenario from the command line, exit code 0', async () => {
    const command = launch('node', [BIN, 'run', 'scenarios']);

    expect(await command.exited).toBe(0);
    expect(command.output()).toContain(
      `${shipped.length} passed, 0 failed (${shipped.length} scenarios,`,
    );
  });

  it('gives the same bytes on every run of a scenario', async () => {
    const runner = await ScenarioRunner.start();

    try {
      const { scenario } = readScenarioFile(
        join(SCENARIOS_DIR, 'happy-path.yaml'),
      );
      const first = await runner.play(scenario);
      const second = await runner.play(scenario);

      expect(second.transcript).toEqual(first.transcript);
      expect(first.transcript.length).toBeGreaterThan(5);
    } finally {
      await runner.close();
    }
  });

  it('shows a changed frame as a failing diff against the golden transcript', async () => {
    const dir = scratchWith('seed-yoghurt');
    const golden = join(dir, 'seed-yoghurt.transcript');

    writeFileSync(
      golden,
      readFileSync(golden, 'utf8').replace('"type":"final"', '"type":"finale"'),
    );

    const { results, report } = await run([join(dir, 'seed-yoghurt.yaml')]);

    expect(results[0]!.passed).toBe(false);
    expect(results[0]!.failures).toContain(
      'the frames differ from the golden transcript (diff below); if the change is intended, re-record with --record',
    );
    expect(results[0]!.transcriptDiff).toMatch(
      /^-\+5\.200s shopper frame .*"type":"finale"\}$/m,
    );
    expect(results[0]!.transcriptDiff).toMatch(
      /^\+\+5\.200s shopper frame .*"type":"final"\}$/m,
    );
    expect(report).toContain('✗ seed-yoghurt');
  });

  it('names the frame, field, expected and found value of a broken expectation', async () => {
    const dir = scratchWith('seed-fruit');
    const file = join(dir, 'seed-fruit.yaml');

    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '- final: { amount: "2.43" }',
        '- final: { amount: "2.44" }',
      ),
    );

    const { results } = await run([file]);

    expect(results[0]!.failures).toEqual([
      'frame 3 (final at +5.600s): data.amount: expected 2.44, found 2.43',
    ]);
  });

  it('reports a broken file at its line and column, and plays the others', async () => {
    const dir = scratchWith('empty');
    const broken = join(dir, 'broken.yaml');

    writeFileSync(
      broken,
      [
        'description: takes from an aisle that is not there',
        'timeline:',
        '  - open-door',
        '  - take: { aisle: 9999, count: 1 }',
        '  - tkae: { aisle: 6150, count: 1 }',
        '  - close-door',
        '',
      ].join('\n'),
    );

    const command = launch('node', [BIN, 'run', dir]);

    expect(await command.exited).toBe(1);
    expect(command.output()).toContain(
      `${broken}:5:5: timeline[2].tkae: unknown step "tkae"; expected one of: open-door,`,
    );
    expect(command.output()).toContain('(did you mean "take"?)');
    expect(command.output()).toContain('1 passed, 1 failed (2 scenarios,');

    writeFileSync(broken, readFileSync(broken, 'utf8').replace('tkae', 'take'));

    const validate = launch('node', [BIN, 'validate', broken]);

    expect(await validate.exited).toBe(1);
    expect(validate.output()).toContain(
      `${broken}:4:20: timeline[1].take.aisle: cabinet "default" has no aisle 9999`,
    );
  });

  it('records missing transcripts with --record, and later runs pass', async () => {
    const dir = scratchWith('put-back');
    const transcript = join(dir, 'put-back.transcript');
    const shippedBytes = readFileSync(transcript, 'utf8');

    writeFileSync(transcript, '');
    expect(
      (await run([join(dir, 'put-back.yaml')], true)).results[0]!.passed,
    ).toBe(true);
    expect(readFileSync(transcript, 'utf8')).toBe(shippedBytes);
    expect((await run([join(dir, 'put-back.yaml')])).results[0]!.passed).toBe(
      true,
    );
  });

  it('fails a scenario with no golden transcript and says how to record one', async () => {
    const dir = scratchFolder('cabinet-emu-run-');

    copyFileSync(join(SCENARIOS_DIR, 'empty.yaml'), join(dir, 'empty.yaml'));

    const { results } = await run([join(dir, 'empty.yaml')]);

    expect(results[0]!.failures[0]).toMatch(
      /^no golden transcript .*empty\.transcript; record one with: cabinet-emu run --record .*empty\.yaml$/,
    );
  });

  it('plays a timeline of the longest length a file may have to its end', async () => {
    const dir = scratchFolder('cabinet-emu-run-');
    const file = join(dir, 'hour.yaml');

    writeFileSync(
      file,
      [
        'description: the door stays open for the whole hour a file may last',
        'timeline:',
        '  - open-door',
        '  - wait: 60min',
        '  - close-door',
        'expect:',
        '  frames: [door, final]',
        '',
      ].join('\n'),
    );

    const { results, report } = await run([file], true);

    expect(results[0]!.failures).toEqual([]);
    expect(results[0]!.passed).toBe(true);
    expect(report).not.toContain('has not ended');
  });

  it('finishes and exits with the true code when its reader goes away, as under `| head`', async () => {
    const dir = scratchWith('empty', 'risk-control');

    writeFileSync(join(dir, 'empty.transcript'), 'not what it sends\n');

    const command = launch('node', [BIN, 'run', dir]);
    let errors = '';

    command.child.stderr!.on('data', (chunk: Buffer) => (errors += chunk));
    // Closed before the first line, so every write of the report fails.
    command.child.stdout!.destroy();

    expect(await command.exited).toBe(1);
    expect(errors).toBe('');
  });

  it('refuses to run or pass two files that would share one golden transcript', async () => {
    const dir = scratchWith('empty');
    const yaml = join(dir, 'empty.yaml');
    const json = join(dir, 'empty.json');

    writeFileSync(
      json,
      JSON.stringify({ description: 'the same name', timeline: [] }),
    );

    const message = `${yaml} and ${json} would keep their golden transcripts in the same file, ${join(dir, 'empty.transcript')}; rename all but one`;
    const { results } = await run([yaml]);

    expect(results[0]).toMatchObject({ passed: false, error: message });
    expect(await validateScenarioFiles([yaml, json])).toEqual([
      { file: yaml, problem: message },
      {
        file: json,
        problem: `${json} and ${yaml} would keep their golden transcripts in the same file, ${join(dir, 'empty.transcript')}; rename all but one`,
      },
    ]);
  });

  it('lists every problem a cabinet or model finds in a file, each at its line and column', async () => {
    const dir = scratchFolder('cabinet-emu-validate-');
    const unknownCabinet = join(dir, 'unknown-cabinet.yaml');
    const wrongDevice = join(dir, 'wrong-device.yaml');

    writeFileSync(
      unknownCabinet,
      [
        'description: a cabinet and a model that do not exist',
        'cabinet: nope',
        'models: { loadCell: nothing }',
        'timeline: [open-door, close-door]',
        '',
      ].join('\n'),
    );
    writeFileSync(
      wrongDevice,
      [
        "description: another cabinet's device, and an aisle it lacks",
        'deviceNo: promo-cabinet',
        'timeline:',
        '  - open-door',
        '  - take: { aisle: 1, count: 1 }',
        '  - close-door',
        '',
      ].join('\n'),
    );

    const [first, second] = await validateScenarioFiles([
      unknownCabinet,
      wrongDevice,
    ]);

    expect(first!.problem!.split('\n')).toEqual([
      `${unknownCabinet}:2:10: cabinet: no cabinet fixture is named "nope"; the fixtures have: default, promotions`,
      `${unknownCabinet}:3:21: models.loadCell: unknown load cell model "nothing"; known: ideal, realistic, noisy, stuck, dead, spiky`,
    ]);
    expect(second!.problem!.split('\n')).toEqual([
      `${wrongDevice}:2:11: deviceNo: device promo-cabinet belongs to cabinet "promotions", not "default"`,
      `${wrongDevice}:5:20: timeline[1].take.aisle: cabinet "default" has no aisle 1`,
    ]);
  });

  it('says that a purchase went uncharged when a cell too noisy to settle was taken from', async () => {
    const dir = scratchFolder('cabinet-emu-run-');
    const models = join(dir, 'models.mjs');
    const file = join(dir, 'shaky.yaml');

    writeFileSync(
      models,
      `export default { loadCells: { shaky: (random) => ({
        read: (grams) => Math.round(grams + random.gaussian(0, 2)),
        knock() {},
        fail() {},
      }) } };`,
    );
    writeFileSync(
      file,
      [
        'description: two yoghurts from a scale that never comes to rest',
        'models: { loadCell: shaky }',
        'timeline:',
        '  - open-door',
        '  - take: { aisle: 6140, count: 2 }',
        '  - wait: 3s',
        '  - close-door',
        'expect:',
        '  frames: [door, final]',
        '',
      ].join('\n'),
    );

    const out = collect();
    const [result] = await runScenarioFiles([file], {
      record: true,
      reporter: 'text',
      concurrency: 1,
      modelModules: [models],
      out,
    });

    expect(result!.failures).toEqual([]);
    expect(readFileSync(join(dir, 'shaky.transcript'), 'utf8')).toMatch(
      /cabinet anomaly \{"aisleId":6140,"kind":"unsettled","grams":4\d\d(\.\d)?\}/,
    );
  });

  it('takes one module file per --models, so the paths after it stay scenario paths', async () => {
    const dir = scratchWith('empty');
    const models = join(dir, 'models.mjs');

    writeFileSync(models, 'export default { loadCells: {} };\n');

    const command = launch('node', [BIN, 'run', '--models', models, dir]);

    expect(await command.exited).toBe(0);
    expect(command.output()).toContain('1 passed, 0 failed');
  });

  it('refuses a deviceNo no shopper could connect with, instead of passing a run that played nothing', async () => {
    const dir = scratchFolder('cabinet-emu-validate-');
    const file = join(dir, 'escape.yaml');

    writeFileSync(
      file,
      [
        'description: a device number with an escape in it',
        'deviceNo: "a\\u001bb"',
        'timeline: [open-door, close-door]',
        '',
      ].join('\n'),
    );

    const [validated] = await validateScenarioFiles([file]);
    const { results } = await run([file], true);

    expect(validated!.problem).toBe(
      `${file}:2:11: deviceNo: "a\\u001bb": deviceNo contains control characters`,
    );
    expect(results[0]).toMatchObject({ passed: false });
  });

  it('writes a JUnit report for CI', async () => {
    const dir = scratchWith('empty', 'risk-control');
    // In a folder that does not exist yet, as in a fresh CI checkout.
    const output = join(dir, 'reports', 'junit.xml');
    const command = launch('node', [
      BIN,
      'run',
      '--reporter',
      'junit',
      '--output',
      output,
      dir,
    ]);

    expect(await command.exited).toBe(0);

    const xml = readFileSync(output, 'utf8');

    expect(xml).toMatch(/<testsuite [^>]*tests="2" failures="0" errors="0"/);
    expect(xml).toContain('<testcase name="empty"');
    expect(xml).toContain('<testcase name="risk-control"');
  });
});
