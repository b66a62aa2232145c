import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative } from 'node:path';
import { ConfigError, EmulatorError, RunError } from '../errors.js';
import type { RoundingMode } from '../pricing/rounding.js';
import {
  readScenarioFile,
  type LoadedScenario,
} from '../scenario/scenario-file.js';
import { checkExpectations } from './check-expectations.js';
import { formatJunit } from './junit-report.js';
import type { ScenarioResult } from './run-result.js';
import { ScenarioRunner } from './scenario-runner.js';
import { createTextReporter } from './text-reporter.js';
import {
  compareTranscript,
  formatTranscript,
  transcriptClash,
  transcriptPathFor,
} from './transcript.js';

export interface RunFilesOptions {
  /** Write each run's transcript as its golden file instead of comparing. */
  record: boolean;
  reporter: 'text' | 'junit';
  /** Where the JUnit report goes; standard output when undefined. */
  output?: string;
  fixturesDir?: string;
  modelModules?: readonly string[];
  rounding?: RoundingMode;
  /** Scenarios played at once; each has its own clock, so order is kept. */
  concurrency: number;
  /** Where the text report goes. */
  out: NodeJS.WritableStream & { isTTY?: boolean };
}

export const DEFAULT_CONCURRENCY = 4;

/**
 * Plays every scenario file, checks its expectations and its golden
 * transcript, and reports. Resolves with the results in file order; every
 * one passed when each has `passed`.
 */
export async function runScenarioFiles(
  files: readonly string[],
  options: RunFilesOptions,
): Promise<ScenarioResult[]> {
  if (options.output !== undefined && options.reporter !== 'junit') {
    throw new ConfigError(
      '--output is where the JUnit report goes; give --reporter junit with it',
    );
  }
  // Found out before anything runs, not after a long run has gone green.
  if (options.output !== undefined) checkWritable(options.output);

  const runner = await ScenarioRunner.start({
    fixturesDir: options.fixturesDir,
    modelModules: options.modelModules,
    rounding: options.rounding,
  });
  const textOut =
    options.reporter === 'junit' && options.output === undefined
      ? undefined
      : options.out;
  const reporter = textOut
    ? createTextReporter(textOut, {
        isTTY: Boolean(textOut.isTTY),
        total: files.length,
      })
    : undefined;
  const results: ScenarioResult[] = new Array(files.length);
  let reported = 0;
  let next = 0;

  // Results are reported in file order however the runs finish, so that a
  // report reads the same on every run.
  const reportReady = () => {
    while (reported < files.length && results[reported]) {
      reporter?.scenarioFinished(results[reported]!);
      reported++;
    }
  };
  const worker = async () => {
    while (next < files.length) {
      const index = next++;

      results[index] = await playFile(runner, files[index]!, options.record);
      reportReady();
    }
  };

  try {
    await Promise.all(
      Array.from(
        { length: Math.max(1, Math.min(options.concurrency, files.length)) },
        worker,
      ),
    );
  } finally {
    await runner.close();
  }

  reporter?.finish(results);
  if (options.reporter === 'junit') {
    const xml = formatJunit(results, 'cabinet-emu run');

    if (options.output === undefined) options.out.write(xml);
    else writeFileSync(options.output, xml);
  }

  return results;
}

async function playFile(
  runner: ScenarioRunner,
  file: string,
  record: boolean,
): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const shownFile = displayPath(file);
  let loaded: LoadedScenario | undefined;

  try {
    const clash = transcriptClash(shownFile);

    if (clash) throw new RunError(clash);
    loaded = readScenarioFile(file);

    const { scenario } = loaded;

    runner.check(loaded);

    const outcome = await runner.play(scenario);
    const failures = checkExpectations(scenario.run?.expect ?? {}, outcome);
    const transcript = formatTranscript(scenario.name, outcome.transcript);
    const goldenFile = transcriptPathFor(file);
    let transcriptDiff: string | undefined;
    let recorded: string | undefined;

    if (record && failures.length > 0) {
      failures.push(
        `not recorded: a golden transcript is written only when the expectations pass`,
      );
    } else if (record) {
      writeFileSync(goldenFile, transcript);
      recorded = displayPath(goldenFile);
    } else if (!existsSync(goldenFile)) {
      failures.push(
        `no golden transcript ${displayPath(goldenFile)}; record one with: cabinet-emu run --record ${shownFile}`,
      );
    } else {
      transcriptDiff = compareTranscript(
        readGolden(goldenFile),
        transcript,
        displayPath(goldenFile),
      );
      if (transcriptDiff !== undefined) {
        failures.push(
          'the frames differ from the golden transcript (diff below); if the change is intended, re-record with --record',
        );
      }
    }

    return {
      name: scenario.name,
      file: shownFile,
      passed: failures.length === 0,
      durationMs: performance.now() - startedAt,
      virtualMs: outcome.virtualMs,
      failures,
      transcriptDiff,
      recorded,
    };
  } catch (err) {
    return {
      name: loaded?.scenario.name ?? basename(file, extname(file)),
      file: shownFile,
      passed: false,
      durationMs: performance.now() - startedAt,
      virtualMs: 0,
      failures: [],
      error:
        err instanceof EmulatorError
          ? err.message
          : ((err as Error)?.stack ?? String(err)),
    };
  }
}

// Paths under the working directory are shown relative to it, as the user
// typed them; others in full.
function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);

  return shown === '' || shown.startsWith('..') || isAbsolute(shown)
    ? file
    : shown;
}

function readGolden(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new RunError(
      `cannot read the golden transcript ${displayPath(file)}: ${(err as Error).message}`,
    );
  }
}

// The report's folder is made when missing, as CI asks for reports/x.xml
// in a fresh checkout.
function checkWritable(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    closeSync(openSync(file, 'a'));
  } catch (err) {
    throw new ConfigError(
      `--output: cannot write the JUnit report to ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
