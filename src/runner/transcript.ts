import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { Order } from '../cabinet/order.js';
import { formatOffset } from './format-offset.js';
import type { TranscriptEntry } from './run-result.js';

/** Lines of unchanged text shown around each change in a transcript diff. */
const DIFF_CONTEXT = 2;

/**
 * Writes a run's transcript as the text kept beside a scenario file: one
 * header line, then one line per entry, `\n` line ends and a final newline.
 * The same run always gives the same bytes, so a golden file can be
 * compared byte for byte.
 *
 * @example
 * formatTranscript('door only', [{ atMs: 812, connection: 'shopper', event: 'frame', text: '{"msg":"","success":true,"type":"door"}' }])
 * // '# cabinet-emu transcript of "door only" ...\n+0.812s shopper frame {"msg":"","success":true,"type":"door"}\n'
 */
export function formatTranscript(
  scenarioName: string,
  entries: readonly TranscriptEntry[],
): string {
  // The scenario file is not named: the transcript sits beside it, and a
  // path in the text would make the golden file depend on the working
  // directory it was recorded from.
  const header =
    `# cabinet-emu transcript of scenario ${oneLine(JSON.stringify(scenarioName))}:` +
    ' what each connection saw, at virtual times since the shopper connected.' +
    ' Re-record with: cabinet-emu run --record FILE';
  const lines = entries.map(
    (entry) =>
      `${formatOffset(entry.atMs)} ${entry.connection} ${entry.event} ${oneLine(entry.text)}`,
  );

  return `${[header, ...lines].join('\n')}\n`;
}

/**
 * A short JSON text for an order line of a transcript: what decides the
 * shopper's bill, with the amount at its wire scale.
 *
 * @example summariseOrder(order) // '{"tradeNo":"19101114451054062737","amount":"15.80","creditPay":true,"lines":1}'
 */
export function summariseOrder(order: Order): string {
  return JSON.stringify({
    tradeNo: order.tradeNo,
    amount: order.amount.toFixed(2),
    creditPay: order.creditPay,
    lines: order.lines.length,
  });
}

/**
 * Where a scenario's golden transcript is kept: beside it, with the
 * extension `.transcript` in place of `.yaml`, `.yml` or `.json`.
 *
 * @example transcriptPathFor('scenarios/two-yoghurts.yaml') // 'scenarios/two-yoghurts.transcript'
 */
export function transcriptPathFor(scenarioFile: string): string {
  return `${scenarioFile.replace(SCENARIO_EXTENSION, '')}.transcript`;
}

const SCENARIO_EXTENSION = /\.(ya?ml|json)$/i;

/**
 * The scenario files beside `scenarioFile` whose golden transcript would be
 * the same file as its own (`x.yaml` and `x.json` both keep theirs in
 * `x.transcript`), so that recording one would overwrite the other's.
 *
 * @example scenarioFilesSharingTranscript('scenarios/x.yaml') // ['scenarios/x.json'] when it exists
 */
export function scenarioFilesSharingTranscript(scenarioFile: string): string[] {
  const folder = dirname(scenarioFile);
  const own = transcriptPathFor(basename(scenarioFile));
  let names: string[];

  try {
    names = readdirSync(folder);
  } catch {
    // The file itself cannot be read either; that is reported on its own.
    return [];
  }

  return names
    .filter(
      (name) =>
        name !== basename(scenarioFile) &&
        SCENARIO_EXTENSION.test(name) &&
        transcriptPathFor(name) === own,
    )
    .sort()
    .map((name) => join(folder, name));
}

/**
 * Why `scenarioFile` cannot have a golden transcript of its own, or
 * undefined when it can.
 */
export function transcriptClash(scenarioFile: string): string | undefined {
  const sharing = scenarioFilesSharingTranscript(scenarioFile);

  if (sharing.length === 0) return undefined;

  return `${[scenarioFile, ...sharing].join(' and ')} would keep their golden transcripts in the same file, ${transcriptPathFor(scenarioFile)}; rename all but one`;
}

/**
 * Compares a golden transcript with this run's, byte for byte: undefined
 * when they are identical, else a unified diff. Nothing is normalised, so a
 * golden file saved with CRLF line ends differs; carriage returns are shown
 * as `␍` and the first line says when line ends are the only difference.
 */
export function compareTranscript(
  expected: string,
  actual: string,
  file: string,
): string | undefined {
  if (expected === actual) {
    return undefined;
  }

  const patch = createTwoFilesPatch(
    file,
    file,
    expected,
    actual,
    'golden',
    'this run',
    { context: DIFF_CONTEXT, headerOptions: FILE_HEADERS_ONLY },
  );
  // A raw carriage return would move a terminal's cursor and hide the very
  // difference the diff is meant to show.
  const visible = patch.replaceAll('\r', '␍');

  if (withoutCarriageReturns(expected) === withoutCarriageReturns(actual)) {
    return `${describeLineEnds(expected, actual)}\n${visible}`;
  }

  return visible;
}

function describeLineEnds(expected: string, actual: string): string {
  const style = (text: string) => (text.includes('\r\n') ? 'CRLF' : 'LF');

  return (
    `Only line endings differ: the golden file uses ${style(expected)},` +
    ` this run ${style(actual)} (␍ marks a carriage return).`
  );
}

function withoutCarriageReturns(text: string): string {
  return text.replaceAll('\r\n', '\n');
}

// A frame is one line of JSON, but a broken server may send anything: a line
// break inside an entry would split it and make the transcript unreadable.
function oneLine(text: string): string {
  return text.replaceAll('\r', '\\r').replaceAll('\n', '\\n');
}
