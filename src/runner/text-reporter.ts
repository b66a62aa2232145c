import type { ScenarioResult } from './run-result.js';

export interface TextReporterOptions {
  /** Whether `out` is a terminal: a status line and colours are shown then. */
  isTTY: boolean;
  /** How many scenarios the run will play, for the `[n/total]` status. */
  total: number;
  /** Read for `NO_COLOR`; `process.env` when not given. */
  env?: Readonly<Record<string, string | undefined>>;
  /** A monotonic clock in milliseconds; `performance.now` when not given. */
  now?: () => number;
}

export interface RunSummary {
  passed: number;
  failed: number;
  total: number;
  /** Wall-clock milliseconds from the reporter's creation to `finish`. */
  durationMs: number;
  /** `16 passed, 1 failed (17 scenarios, 1.2 s)` */
  line: string;
}

export interface TextReporter {
  /** Shows which scenario is playing, on a terminal only. */
  scenarioStarted(name: string): void;
  /** Writes one scenario's verdict, with its failures when it failed. */
  scenarioFinished(result: ScenarioResult): void;
  /** Writes the summary line and returns the counts. */
  finish(results: readonly ScenarioResult[]): RunSummary;
}

const INDENT = '    ';

// Plain SGR sequences: every terminal that claims to be one knows them.
const paint = {
  green: (text: string) => `\x1b[32m${text}\x1b[39m`,
  red: (text: string) => `\x1b[31m${text}\x1b[39m`,
  dim: (text: string) => `\x1b[2m${text}\x1b[22m`,
};
const noPaint = { green: same, red: same, dim: same };

/**
 * Reports a run for people: a line per scenario as it finishes, what broke
 * underneath a failed one, and a summary. On a terminal one status line
 * (`[3/17] name`) shows progress and is cleared before anything else is
 * written; elsewhere (a CI log, a pipe) nothing but the results is written.
 * Colour follows the terminal and the `NO_COLOR` convention (no-color.org).
 *
 * @example
 * const reporter = createTextReporter(process.stdout, { isTTY: process.stdout.isTTY === true, total: files.length });
 */
export function createTextReporter(
  out: NodeJS.WritableStream,
  options: TextReporterOptions,
): TextReporter {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const colour = options.isTTY && (env.NO_COLOR ?? '') === '';
  const style = colour ? paint : noPaint;
  let done = 0;
  let status = '';

  const showStatus = (text: string) => {
    if (!options.isTTY) {
      return;
    }
    clearStatus();
    status = fitToTerminal(text, out);
    out.write(status);
  };

  const clearStatus = () => {
    if (status !== '') {
      out.write('\r\x1b[2K');
      status = '';
    }
  };

  return {
    scenarioStarted(name) {
      showStatus(`[${done + 1}/${options.total}] ${name}`);
    },

    scenarioFinished(result) {
      done += 1;
      clearStatus();
      out.write(formatResult(result, style));
      if (done < options.total) {
        showStatus(`[${done}/${options.total}]`);
      }
    },

    finish(results) {
      clearStatus();

      const passed = results.filter((result) => result.passed).length;
      const failed = results.length - passed;
      const durationMs = now() - startedAt;
      const line =
        `${passed} passed, ${failed} failed` +
        ` (${count(results.length, 'scenario')}, ${(durationMs / 1000).toFixed(1)} s)`;
      const painted = failed > 0 ? style.red(line) : style.green(line);

      out.write(`\n${painted}\n`);

      return { passed, failed, total: results.length, durationMs, line };
    },
  };
}

function formatResult(result: ScenarioResult, style: typeof paint): string {
  const recorded = result.recorded ? `, recorded ${result.recorded}` : '';
  const times = `virtual ${(result.virtualMs / 1000).toFixed(1)}s, ${Math.round(result.durationMs)} ms${recorded}`;

  if (result.passed) {
    return `${style.green('✓')} ${result.name}  ${style.dim(`(${result.file}, ${times})`)}\n`;
  }

  const where =
    result.error === undefined ? `${result.file}, ${times}` : result.file;
  const lines = [
    `${style.red('✗')} ${result.name}  ${style.dim(`(${where})`)}`,
  ];

  for (const failure of result.failures) {
    lines.push(indent(failure));
  }
  if (result.error !== undefined) {
    lines.push(indent(`error: ${result.error}`));
  }
  if (result.transcriptDiff !== undefined) {
    lines.push(indent(paintDiff(result.transcriptDiff.trimEnd(), style)));
  }

  return `${lines.join('\n')}\n`;
}

function paintDiff(diff: string, style: typeof paint): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+') && !line.startsWith('+++')) {
        return style.green(line);
      }
      if (line.startsWith('-') && !line.startsWith('---')) {
        return style.red(line);
      }
      return line;
    })
    .join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `${INDENT}${line}`)
    .join('\n');
}

// A status line longer than the terminal wraps, and `\r` then clears only
// its last row.
function fitToTerminal(text: string, out: NodeJS.WritableStream): string {
  const columns = (out as { columns?: unknown }).columns;

  if (typeof columns !== 'number' || columns < 2 || text.length < columns) {
    return text;
  }

  return `${text.slice(0, columns - 2)}…`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function same(text: string): string {
  return text;
}
