import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type YAMLError,
} from 'yaml';
import type { Cabinet } from '../catalogue/cabinet.js';
import {
  quoteInput,
  ScenarioError,
  ScenarioFileError,
  type ScenarioFileProblem,
  type ScenarioProblem,
} from '../errors.js';
import { closestName } from './closest-name.js';
import { checkMeaning } from './document-meaning.js';
import { decodeScenarioBytes } from './scenario-encoding.js';
import { planScenario, type PlannedStep } from './plan-scenario.js';
import type { Scenario } from './scenario.js';
import {
  entryPathOf,
  scenarioFromDocument,
  type ScenarioDocument,
} from './scenario-document.js';
import { scenarioSchema, type OneKeyUnion } from './scenario-schema.js';
import {
  describeSchemaErrors,
  foundOf,
  type SchemaProblem,
} from './schema-problems.js';

/** A place in a file, both counted from 1. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Keys and indexes from a scenario document's root: `['timeline', 3]`. */
export type DocumentPath = (string | number)[];

/** A scenario read from a file, and where in the file each part is. */
export interface LoadedScenario {
  scenario: Scenario;
  /**
   * Where the value at `path` is written; when the file does not go that far
   * (a field left out), where the nearest thing there is.
   *
   * @example loaded.positionOf(['timeline', 1, 'put-back', 'onto'])
   */
  positionOf(path: DocumentPath): SourcePosition;
  /** Where the timeline's step `index` (from 0) is written. */
  positionOfStep(index: number): SourcePosition;
}

type Path = DocumentPath;

// A file with more wrong than this was most likely not meant as a scenario.
const MAX_PROBLEMS = 20;

/**
 * The largest scenario file read. The longest shipped one is a few KiB; past
 * this, a path most likely names a log, an image or a device by mistake.
 */
export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

/**
 * Reads a scenario file (YAML, or JSON when its name ends in `.json`). Throws a
 * `ScenarioFileError` that lists every problem found, each with its line and
 * column.
 *
 * @example readScenarioFile('scenarios/seed-fruit.yaml').scenario.steps
 */
export function readScenarioFile(file: string): LoadedScenario {
  let bytes: Buffer;

  try {
    bytes = readRegularFile(file);
  } catch (err) {
    throw new ScenarioFileError(
      [
        {
          file,
          line: 0,
          column: 0,
          path: '',
          message: `cannot read the scenario file: ${readFailure(err)}`,
        },
      ],
      0,
      { cause: err },
    );
  }

  return parseScenarioText(decodeScenarioBytes(bytes, file), file);
}

/**
 * Reads a scenario from `text`; `file` names it in messages, and a `.json`
 * file is held to JSON, not to YAML.
 */
export function parseScenarioText(text: string, file: string): LoadedScenario {
  const language = extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML';
  const lineCounter = new LineCounter();
  // Windows editors like to start UTF-8 files with a byte-order mark.
  const source = text.replace(/^\uFEFF/, '');
  const document = parseDocument(source, { lineCounter, prettyErrors: false });
  const positionAt = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);

    return { line, column: col };
  };
  const fail = (problems: readonly Located[]): never => {
    throw fileError(file, problems);
  };

  // YAML reads JSON too, but leniently (a trailing comma, comments) and with
  // its own words for what it cannot read: JSON.parse says it as JSON does.
  const jsonError =
    language === 'JSON' && source.trim() !== ''
      ? jsonSyntaxError(source)
      : undefined;

  if (jsonError) {
    fail([
      {
        ...positionAt(jsonError.offset),
        path: '',
        message: `not valid JSON: ${jsonError.message}`,
      },
    ]);
  }
  if (document.errors.length > 0) {
    fail(
      document.errors.map((error) => ({
        ...positionAt(error.pos[0]),
        path: '',
        message: syntaxMessage(error, document, positionAt),
      })),
    );
  }

  const value = toValue(document, fail);
  const name = basename(file, extname(file));
  const locate = (problem: SchemaProblem): Located => ({
    ...positionAt(offsetOf(document, problem.path, problem.atKey)),
    path: pathText(problem.path),
    message: problem.message,
  });
  const problems = checkDocument(value, document, name, language).map(locate);

  if (problems.length > 0) fail(problems);

  const positionOf = (path: Path) =>
    positionAt(offsetOf(document, path, false));

  return {
    scenario: scenarioFromDocument(value as ScenarioDocument, name, file),
    positionOf,
    positionOfStep: (index) => positionOf(['timeline', index]),
  };
}

/**
 * Checks `loaded` against `cabinet` (`planScenario`) and returns its steps
 * ready to run. Every step the cabinet cannot play is reported at its place
 * in the file (at the field at fault when known), in one
 * `ScenarioFileError`.
 */
export function fitScenario(
  loaded: LoadedScenario,
  cabinet: Cabinet,
): PlannedStep[] {
  const { scenario } = loaded;

  try {
    return planScenario(scenario, cabinet);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    const problems = err.problems.map((problem): Located => {
      const path = pathOfProblem(scenario, problem);

      return {
        // A problem of the whole timeline (the door left open) shows at its
        // last step.
        ...(path.length === 1
          ? loaded.positionOfStep(scenario.steps.length - 1)
          : loaded.positionOf(path)),
        path: pathText(path),
        message: problem.message,
      };
    });

    throw fileError(scenario.file ?? scenario.name, problems, { cause: err });
  }
}

/** A field of a scenario file that only the cabinets or models can fault. */
export interface FieldProblem {
  path: DocumentPath;
  message: string;
}

/**
 * One error for every problem found in a loaded file: `fields`, each shown
 * where its field is written, with `located` (what `fitScenario` found),
 * in the order of the file.
 */
export function scenarioFileError(
  loaded: LoadedScenario,
  fields: readonly FieldProblem[],
  located: readonly ScenarioFileProblem[] = [],
): ScenarioFileError {
  const { scenario } = loaded;

  return fileError(scenario.file ?? scenario.name, [
    ...located,
    ...fields.map(({ path, message }): Located => ({
      ...loaded.positionOf(path),
      path: pathText(path),
      message,
    })),
  ]);
}

/**
 * Checks one timeline entry on its own, as a file's would be checked, and
 * returns its problems as `PATH: MESSAGE` lines (the path within the step,
 * as `take.count`); none when it is a valid step.
 *
 * @example checkStepEntry({ take: { aisle: 6150 } })
 * // ['take: expected count or grams ...']
 */
export function checkStepEntry(entry: unknown): string[] {
  const schema = scenarioSchema();

  return checkEntry(entry, [], schema.steps, {
    ...schema,
    sourceOf: () => undefined,
  }).map((problem) => {
    const path = pathText(problem.path);

    return path === '' ? problem.message : `${path}: ${problem.message}`;
  });
}

function pathOfProblem(scenario: Scenario, problem: ScenarioProblem): Path {
  const { stepIndex, field } = problem;

  if (stepIndex === undefined) return ['timeline'];
  const step = scenario.steps[stepIndex];

  return step === undefined || field === undefined
    ? ['timeline', stepIndex]
    : ['timeline', stepIndex, ...entryPathOf(step, field)];
}

// Every problem, in the order they are written, up to the most a reader
// takes in; the rest are counted.
function fileError(
  file: string,
  problems: readonly Located[],
  options?: ErrorOptions,
): ScenarioFileError {
  const sorted = [...problems].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );

  return new ScenarioFileError(
    sorted.slice(0, MAX_PROBLEMS).map((problem) => ({ file, ...problem })),
    Math.max(0, sorted.length - MAX_PROBLEMS),
    options,
  );
}

type Located = Omit<ScenarioFileProblem, 'file'>;

function toValue(
  document: Document,
  fail: (problems: readonly Located[]) => never,
): unknown {
  const start = { line: 1, column: 1, path: '' };

  if (document.contents === null) {
    fail([
      {
        ...start,
        message:
          'the file is empty; expected a map of scenario fields such as description and timeline',
      },
    ]);
  }

  let value: unknown;

  try {
    value = document.toJS();
  } catch (err) {
    // Too many aliases: a document that grows exponentially when read.
    fail([{ ...start, message: `cannot be read: ${(err as Error).message}` }]);
  }
  if (!isMap(document.contents)) {
    fail([
      {
        ...start,
        message: `expected a map of scenario fields such as description and timeline, found ${foundOf(value)}`,
      },
    ]);
  }

  return value;
}

function checkDocument(
  value: unknown,
  document: Document,
  fileName: string,
  language: 'YAML' | 'JSON',
): SchemaProblem[] {
  const schema = scenarioSchema();
  const sourceOf = (path: Path) => {
    const node = nodeAt(document, path);

    return isScalar(node) && typeof node.source === 'string'
      ? node.source
      : undefined;
  };
  const describeOptions = { ...schema, sourceOf, language };
  const entries = unionEntries(value, schema.steps, schema.frames);

  schema.validateDocument(withoutEntries(value));
  const problems = describeSchemaErrors(
    schema.validateDocument.errors ?? [],
    value,
    describeOptions,
  );

  for (const { path, union, entry } of entries) {
    problems.push(...checkEntry(entry, path, union, describeOptions));
  }
  // Even beside the schema's problems, so that a file is fixed in one go.
  problems.push(...checkMeaning(value, fileName));

  return problems;
}

// Entries of the lists whose items are steps or frames: each is checked
// alone, so that a wrong step says what is wrong with it, not with every
// kind of step it might have been.
function unionEntries(
  value: unknown,
  steps: OneKeyUnion,
  frames: OneKeyUnion,
): { path: Path; union: OneKeyUnion; entry: unknown }[] {
  const entries: { path: Path; union: OneKeyUnion; entry: unknown }[] = [];
  const collect = (list: unknown, path: Path, union: OneKeyUnion) => {
    if (!Array.isArray(list)) return;
    list.forEach((entry: unknown, index) =>
      entries.push({ path: [...path, index], union, entry }),
    );
  };
  const root = value as Record<string, unknown>;
  const expect = asRecord(root.expect);

  collect(root.timeline, ['timeline'], steps);
  collect(expect?.frames, ['expect', 'frames'], frames);
  if (Array.isArray(expect?.otherShoppers)) {
    expect.otherShoppers.forEach((shopper: unknown, index) =>
      collect(
        asRecord(shopper)?.frames,
        ['expect', 'otherShoppers', index, 'frames'],
        frames,
      ),
    );
  }

  return entries;
}

// The document with its lists of steps and frames emptied, for the check of
// the whole: the entries are checked one by one (`checkEntry`). It also
// keeps the whole check linear: ajv concatenates the errors of each entry
// onto all the errors before it, which grows as the square of a file of
// thousands of bad steps.
function withoutEntries(value: unknown): unknown {
  const root = asRecord(value);

  if (!root) return value;
  const copy: Record<string, unknown> = emptied(root, 'timeline');
  const expect = asRecord(root.expect);

  if (expect) {
    const withoutFrames = emptied(expect, 'frames');
    const others = expect.otherShoppers;

    if (Array.isArray(others)) {
      withoutFrames.otherShoppers = others.map((shopper: unknown) => {
        const fields = asRecord(shopper);

        return fields ? emptied(fields, 'frames') : shopper;
      });
    }
    copy.expect = withoutFrames;
  }

  return copy;
}

// A copy of `record` whose `key`, when it is a list, is an empty one.
function emptied(
  record: Record<string, unknown>,
  key: string,
): Record<string, unknown> {
  return Array.isArray(record[key]) ? { ...record, [key]: [] } : { ...record };
}

function checkEntry(
  entry: unknown,
  path: Path,
  union: OneKeyUnion,
  options: Parameters<typeof describeSchemaErrors>[2],
): SchemaProblem[] {
  const known = [...new Set([...union.bare, ...union.withArguments])];
  const unknownName = (name: string, atKey: boolean): SchemaProblem[] => {
    const closest = closestName(name, known);
    const hint = closest === undefined ? '' : ` (did you mean "${closest}"?)`;

    return [
      {
        path: atKey ? [...path, name] : path,
        atKey,
        message: `unknown ${union.what} ${quoteInput(name)}; expected one of: ${known.join(', ')}${hint}`,
      },
    ];
  };
  const shape = `a ${union.what} name, or a map of one ${union.what} to its fields`;

  if (typeof entry === 'string') {
    if (union.bare.includes(entry)) return [];
    if (union.withArguments.includes(entry)) {
      return [
        {
          path,
          atKey: false,
          message: `${union.what} "${entry}" needs fields; write it as a map, "${entry}: ..."`,
        },
      ];
    }
    return unknownName(entry, false);
  }

  const record = asRecord(entry);

  if (!record) {
    return [
      {
        path,
        atKey: false,
        message: `expected ${shape}, found ${foundOf(entry)}`,
      },
    ];
  }
  const keys = Object.keys(record);
  const [name] = keys;

  if (name === undefined || keys.length > 1) {
    const found =
      name === undefined
        ? 'an empty map'
        : `${keys.length} keys: ${keys.join(', ')}; give each its own list entry`;

    return [
      { path, atKey: false, message: `expected ${shape}, found ${found}` },
    ];
  }
  if (!union.withArguments.includes(name)) {
    if (!union.bare.includes(name)) return unknownName(name, true);
    return [
      {
        path: [...path, name],
        atKey: true,
        message: `${union.what} "${name}" takes no fields; write it alone, "- ${name}"`,
      },
    ];
  }

  const validate = union.validateArguments(name);
  const prefix = [...path, name];

  if (validate(record[name])) return [];
  return describeSchemaErrors(validate.errors ?? [], record[name], {
    ...options,
    sourceOf: (relative) => options.sourceOf?.([...prefix, ...relative]),
  }).map((problem) => ({ ...problem, path: [...prefix, ...problem.path] }));
}

function nodeAt(document: Document, path: Path): unknown {
  let node: unknown = document.contents;

  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      node = node.items.find(
        (pair) => keyText(pair.key) === String(segment),
      )?.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return undefined;
    }
  }

  return node;
}

// Where a problem shows: at the value the path names, or at its key, or,
// when the path goes further than the file (a missing field), at the
// nearest thing that is there.
function offsetOf(document: Document, path: Path, atKey: boolean): number {
  let node: unknown = document.contents;
  let offset = startOf(node) ?? 0;

  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(document);
    const last = index === path.length - 1;

    if (isMap(node)) {
      const pair = node.items.find(
        (item) => keyText(item.key) === String(segment),
      );

      if (!pair) break;
      const keyOffset = startOf(pair.key);
      const valueOffset = isEmpty(pair.value) ? undefined : startOf(pair.value);

      offset =
        (last && atKey ? keyOffset : (valueOffset ?? keyOffset)) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else {
      break;
    }
  }

  return offset;
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;

  return range?.[0];
}

// `grams:` with nothing after it: point at the key, not past the colon.
function isEmpty(node: unknown): boolean {
  return isScalar(node) && node.value === null && node.source === '';
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

// A field's name is the file's text: one pasted in by mistake is shown cut,
// as values are, not repeated whole.
function pathText(path: Path): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number'
        ? `[${segment}]`
        : `${index === 0 ? '' : '.'}${quoteInput(segment).slice(1, -1)}`,
    )
    .join('');
}

function syntaxMessage(
  error: YAMLError,
  document: Document,
  positionAt: (offset: number) => SourcePosition,
): string {
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return `duplicate key ${keyAt(document, error.pos[0])}; a key may appear once in a map`;
    case 'MULTIPLE_DOCS': {
      const { line, column } = positionAt(error.pos[0]);

      return `a scenario file holds one document; found a second one at ${line}:${column}`;
    }
    default:
      return `not valid YAML: ${error.message}`;
  }
}

// What JSON.parse finds wrong with `source`, and where. It mostly says
// where ("at position 8"); when it does not ("Unexpected token"), the
// fault is where the longest prefix it reads as unfinished JSON ends.
function jsonSyntaxError(
  source: string,
): { offset: number; message: string } | undefined {
  const failure = jsonFailure(source);

  if (failure === undefined) return undefined;
  const message = failure.message
    // V8 quotes the text around the fault; the file is not for dumping.
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '');
  let offset = failure.position;

  if (offset === undefined) {
    let low = 0;
    let high = source.length;

    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      const prefix = jsonFailure(source.slice(0, middle));
      const unfinished =
        prefix === undefined ||
        prefix.message === 'Unexpected end of JSON input' ||
        prefix.position === middle;

      if (unfinished) low = middle;
      else high = middle - 1;
    }
    offset = low;
  }

  return { offset, message };
}

function jsonFailure(
  source: string,
): { message: string; position?: number } | undefined {
  try {
    JSON.parse(source);
    return undefined;
  } catch (err) {
    const { message } = err as Error;
    const position = /at position (\d+)/.exec(message)?.[1];

    return position === undefined
      ? { message }
      : { message, position: Number(position) };
  }
}

// The key that starts at `offset`, as a message shows it.
function keyAt(document: Document, offset: number): string {
  let key = '';

  visit(document, {
    Pair(_, pair) {
      if (startOf(pair.key) !== offset) return undefined;
      key = JSON.stringify(keyText(pair.key));
      return visit.BREAK;
    },
  });
  return key;
}

// A FIFO or a device such as /dev/zero would block or never end a plain read,
// so only a regular file of a sensible size is opened.
function readRegularFile(file: string): Buffer {
  const stats = statSync(file);

  if (stats.isDirectory()) {
    throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
  }
  if (!stats.isFile()) {
    throw Object.assign(new Error('not a regular file'), {
      code: 'EMU_NOT_REGULAR',
    });
  }
  if (stats.size > MAX_SCENARIO_FILE_BYTES) {
    throw Object.assign(new Error('too large'), {
      code: 'EMU_TOO_LARGE',
      size: stats.size,
    });
  }
  return readFileSync(file);
}

function readFailure(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EMU_NOT_REGULAR':
      return 'it is not a regular file (a device, a pipe or a socket)';
    case 'EMU_TOO_LARGE':
      return `it is ${(err as { size: number }).size} bytes; a scenario file is at most ${MAX_SCENARIO_FILE_BYTES} (1 MiB)`;
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (err as Error).message;
  }
}
