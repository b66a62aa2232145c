import { Option } from 'commander';
import { ROUNDING_MODES } from '../pricing/rounding.js';
import { DEFAULT_CONCURRENCY } from '../runner/run-scenario-files.js';
import { collectModelModule, notEmpty, parseInteger } from './serve-options.js';

/** Options of `cabinet-emu run`, declared once; help is built from them. */
export function buildRunOptions(): Option[] {
  return [
    new Option(
      '--record',
      "write each scenario's transcript as its golden file (NAME.transcript beside it) instead of comparing with it",
    ),
    new Option(
      '--reporter <name>',
      'report as readable text, or as JUnit XML for CI',
    )
      .choices(['text', 'junit'])
      .default('text'),
    new Option(
      '--output <file>',
      'write the JUnit report to this file (the text report still goes to the terminal)',
    ).argParser((value) => notEmpty(value, 'a file path')),
    new Option(
      '--concurrency <number>',
      'scenarios played at once; each keeps its own virtual clock, so results do not depend on it',
    )
      .default(DEFAULT_CONCURRENCY)
      .argParser((value) => parseInteger(value, 1, 64)),
    ...sharedScenarioOptions(),
    new Option('--rounding <mode>', 'how a weighed line is rounded to fen')
      .choices(ROUNDING_MODES)
      .default('half-up'),
  ];
}

/** Options of `cabinet-emu validate`. */
export function buildValidateOptions(): Option[] {
  return sharedScenarioOptions();
}

function sharedScenarioOptions(): Option[] {
  return [
    new Option(
      '--fixtures <dir>',
      'folder with cabinets/*.json and images/ to play on instead of the bundled ones',
    ).argParser((value) => notEmpty(value, 'a folder path')),
    new Option(
      '--models <file>',
      'a module file that adds door and load-cell models, for cabinets and scenarios to name; repeat for more',
    ).argParser(collectModelModule),
  ];
}
