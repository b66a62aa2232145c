import type { ScenarioResult } from './run-result.js';

/**
 * Writes a run as JUnit XML for CI servers: one `testsuite` of one
 * `testcase` per scenario, classed by its file. A scenario that broke
 * expectations has a `failure` holding every broken expectation and the
 * transcript diff; one that could not be played has an `error`.
 *
 * @example writeFile('report.xml', formatJunit(results, 'cabinet-emu'))
 */
export function formatJunit(
  results: readonly ScenarioResult[],
  suiteName: string,
): string {
  const failures = results.filter(
    (result) => !result.passed && result.error === undefined,
  ).length;
  const errors = results.filter((result) => result.error !== undefined).length;
  const seconds = seconds3(
    results.reduce((sum, result) => sum + result.durationMs, 0),
  );
  const counts =
    `tests="${results.length}" failures="${failures}" errors="${errors}"` +
    ` time="${seconds}"`;
  const name = attribute(suiteName);

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" ${counts}>`,
    `  <testsuite name="${name}" ${counts}>`,
    ...results.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(result: ScenarioResult): string {
  const open =
    `    <testcase name="${attribute(result.name)}"` +
    ` classname="${attribute(result.file)}"` +
    ` time="${seconds3(result.durationMs)}"`;

  if (result.error !== undefined) {
    const details = [result.error, ...result.failures].join('\n');

    return [
      `${open}>`,
      `      <error message="${attribute(result.error)}">${text(details)}</error>`,
      '    </testcase>',
    ].join('\n');
  }
  if (result.passed) {
    return `${open}/>`;
  }

  const message =
    result.failures[0] ??
    (result.transcriptDiff === undefined
      ? 'failed'
      : 'the transcript differs from the golden file');
  const details = [...result.failures, result.transcriptDiff ?? '']
    .join('\n')
    .trimEnd();

  return [
    `${open}>`,
    `      <failure message="${attribute(message)}">${text(details)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

function seconds3(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Escapes character data; `>` too, so that `]]>` never appears. */
function text(value: string): string {
  return allowedInXml(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

// Line breaks and tabs in an attribute become spaces when it is read back
// unless they are written as references.
function attribute(value: string): string {
  return text(value)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\t', '&#9;');
}

/**
 * XML 1.0 cannot carry most control characters or a lone surrogate, not even
 * as a character reference. Each is replaced by its `\uXXXX` escape so that
 * the report stays readable and still shows what was there.
 */
function allowedInXml(value: string): string {
  let result = '';

  for (const char of value) {
    const code = char.codePointAt(0)!;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;

    result += allowed
      ? char
      : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  return result;
}
