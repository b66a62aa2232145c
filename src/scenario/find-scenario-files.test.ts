import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { findScenarioFiles } from './find-scenario-files.js';

const dir = mkdtempSync(join(tmpdir(), 'find-scenarios-'));

beforeAll(() => {
  const files = [
    'scenarios/b.yaml',
    'scenarios/a.yml',
    'scenarios/README.md',
    'scenarios/.hidden.yaml',
    'scenarios/.drafts/draft.yaml',
    'scenarios/faults/drift.json',
    'scenarios/faults/notes.txt',
    'other/c.yaml',
  ];

  for (const file of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), '');
  }
  mkdirSync(join(dir, 'empty'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('findScenarioFiles', () => {
  it('finds every scenario file under a folder, sorted, hidden ones skipped', async () => {
    expect(await findScenarioFiles(['scenarios'], dir)).toEqual([
      'scenarios/a.yml',
      'scenarios/b.yaml',
      'scenarios/faults/drift.json',
    ]);
  });

  it('takes a file as it is, whatever its ending', async () => {
    expect(await findScenarioFiles(['scenarios/README.md'], dir)).toEqual([
      'scenarios/README.md',
    ]);
  });

  it('expands a glob to the scenario files it matches', async () => {
    expect(await findScenarioFiles(['scenarios/*'], dir)).toEqual([
      'scenarios/a.yml',
      'scenarios/b.yaml',
    ]);
    expect(await findScenarioFiles(['**/*.yaml'], dir)).toEqual([
      'other/c.yaml',
      'scenarios/b.yaml',
    ]);
  });

  it('lists a file named twice once, in sorted order', async () => {
    expect(
      await findScenarioFiles(
        ['other/c.yaml', 'scenarios', './scenarios/b.yaml', join(dir, 'other')],
        dir,
      ),
    ).toEqual([
      'other/c.yaml',
      'scenarios/a.yml',
      'scenarios/b.yaml',
      'scenarios/faults/drift.json',
    ]);
  });

  it('gives paths outside the working folder in full', async () => {
    expect(
      await findScenarioFiles([join(dir, 'other')], join(dir, 'empty')),
    ).toEqual([join(dir, 'other/c.yaml')]);
  });

  it('names every argument that matches nothing', async () => {
    const finding = findScenarioFiles(
      ['scenarios', 'missing.yaml', 'empty', 'nothing/*.yaml'],
      dir,
    );

    await expect(finding).rejects.toBeInstanceOf(ConfigError);
    await expect(finding).rejects.toThrow(
      'no scenario files found for "missing.yaml", "empty", "nothing/*.yaml"; give files, folders with .yaml, .yml or .json files, or globs',
    );
  });
});
