import type { ErrorObject } from 'ajv';
import { quoteInput } from '../errors.js';
import { closestName } from './closest-name.js';

/** One thing wrong with a value, said for a person. */
export interface SchemaProblem {
  /** Keys and indexes from the validated value's root. */
  path: (string | number)[];
  /** The problem is the key at the end of `path` (an unknown field). */
  atKey: boolean;
  message: string;
}

export interface DescribeOptions {
  /** Phrases for schemas whose keywords alone say badly what they want. */
  phrases: ReadonlyMap<unknown, string>;
  /** Schemas of money written as decimal strings. */
  decimals: ReadonlySet<unknown>;
  /** The value at `path` as written in the file, when it is a scalar. */
  sourceOf?: (path: (string | number)[]) => string | undefined;
  /** The language the file is written in, as messages name it. */
  language?: 'YAML' | 'JSON';
}

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  required?: string[];
  properties?: Record<string, unknown>;
  if?: { properties?: Record<string, { const?: unknown }> };
}

/**
 * Turns ajv's errors (from a validator compiled with `verbose`) into one
 * message per problem, each naming what was expected and what was found.
 * The errors ajv gives for every branch of a union are folded into one.
 */
export function describeSchemaErrors(
  errors: readonly ErrorObject[],
  root: unknown,
  options: DescribeOptions,
): SchemaProblem[] {
  const unions = errors.filter(
    (error) => error.keyword === 'oneOf' || error.keyword === 'anyOf',
  );
  const inUnion = (error: ErrorObject) =>
    unions.some(
      (union) =>
        error !== union &&
        error.schemaPath.startsWith(`${union.schemaPath}/`) &&
        error.instancePath.startsWith(union.instancePath),
    );
  const conditions = errors.filter((error) => error.keyword === 'if');
  // A value of the wrong type fails every other rule too; say only that.
  const wrongType = new Set(
    errors
      .filter((error) => error.keyword === 'type')
      .map((error) => error.instancePath),
  );
  const problems: SchemaProblem[] = [];

  for (const error of errors) {
    if (error.keyword === 'if' || inUnion(error)) continue;
    if (error.keyword !== 'type' && wrongType.has(error.instancePath)) continue;
    const path = segmentsOf(error.instancePath, root);

    problems.push(describe(error, path, conditions, root, options));
  }

  return problems;
}

function describe(
  error: ErrorObject,
  path: (string | number)[],
  conditions: readonly ErrorObject[],
  root: unknown,
  options: DescribeOptions,
): SchemaProblem {
  const schema = (error.parentSchema ?? {}) as Schema;
  const expected = () => expectedOf(schema, options.phrases);
  const found = () => foundOf(error.data, options.sourceOf?.(path));

  switch (error.keyword) {
    case 'required': {
      const field = (error.params as { missingProperty: string })
        .missingProperty;
      const wanted = expectedOf(schema.properties?.[field], options.phrases);
      const what = wanted ? `: expected ${wanted}` : '';

      return { path, atKey: false, message: `missing field "${field}"${what}` };
    }

    case 'additionalProperties': {
      const field = (error.params as { additionalProperty: string })
        .additionalProperty;
      const known = Object.keys(schema.properties ?? {});

      return {
        path: [...path, field],
        atKey: true,
        message: `unknown field ${quoteInput(field)}; expected one of: ${known.join(', ')}${didYouMean(field, known)}`,
      };
    }

    case 'false schema':
      return { path, atKey: true, message: notAllowed(path, conditions, root) };

    case 'oneOf':
    case 'anyOf': {
      // A union with a phrase of its own is a choice of values, not forms.
      const message = options.phrases.has(schema)
        ? `expected ${expected()}, found ${found()}`
        : describeUnion(error, found);

      return { path, atKey: false, message };
    }

    case 'enum': {
      const allowed = (schema.enum ?? []).map(String);
      const hint =
        typeof error.data === 'string' ? didYouMean(error.data, allowed) : '';

      return {
        path,
        atKey: false,
        message: `expected ${expected()}; found ${found()}${hint}${quoteHint(error.data, schema, options, path)}`,
      };
    }

    default:
      return {
        path,
        atKey: false,
        message: `expected ${expected()}, found ${found()}${quoteHint(error.data, schema, options, path)}`,
      };
  }
}

// A union of branches that each only require one field is a choice between
// fields: "count or grams".
function describeUnion(error: ErrorObject, found: () => string): string {
  const branches = (error.schema ?? []) as Schema[];
  const fields = branches.map((branch) =>
    branch.required?.length === 1 && Object.keys(branch).length === 1
      ? branch.required[0]
      : undefined,
  );

  if (fields.every((field) => field !== undefined)) {
    const choice = fields.map((field) => `"${field}"`).join(' or ');
    const matched = (error.params as { passingSchemas?: unknown })
      .passingSchemas;

    return matched
      ? `give ${choice}, not more than one`
      : `missing field ${choice}`;
  }

  return `matches none of the allowed forms, found ${found()}`;
}

// A field forbidden by an if/else: say which condition would allow it.
function notAllowed(
  path: (string | number)[],
  conditions: readonly ErrorObject[],
  root: unknown,
): string {
  const parentPath = path.slice(0, -1);
  const condition = conditions.find(
    (error) =>
      error.instancePath === pointerOf(parentPath) &&
      (error.params as { failingKeyword?: string }).failingKeyword === 'else',
  );
  const properties = (condition?.parentSchema as Schema | undefined)?.if
    ?.properties;
  const [field, rule] = Object.entries(properties ?? {})[0] ?? [];

  if (field === undefined || rule?.const === undefined)
    return 'not allowed here';
  const actual = valueAt(root, [...parentPath, field]);

  return `allowed only when ${field} is ${JSON.stringify(rule.const)}; found ${field} ${foundOf(actual)}`;
}

// What a schema wants, or '' when its keywords do not say.
function expectedOf(
  schema: unknown,
  phrases: ReadonlyMap<unknown, string>,
): string {
  const phrase = phrases.get(schema);

  if (phrase) return phrase;
  const node = (schema ?? {}) as Schema;

  if (node.enum) return `one of: ${node.enum.map(String).join(', ')}`;
  if (node.const !== undefined) return JSON.stringify(node.const);
  const types = node.type === undefined ? [] : [node.type].flat();

  return types.map((type) => typePhrase(type, node)).join(' or ');
}

function typePhrase(type: string, schema: Schema): string {
  switch (type) {
    case 'integer':
      return `a whole number${rangeOf(schema)}`;
    case 'number':
      return `a number${rangeOf(schema)}`;
    case 'string':
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'object':
      return 'a map';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    default:
      return type;
  }
}

function rangeOf(schema: Schema): string {
  const { minimum, maximum, exclusiveMinimum } = schema;

  if (minimum !== undefined && maximum !== undefined)
    return ` from ${minimum} to ${maximum}`;
  if (exclusiveMinimum !== undefined && maximum !== undefined)
    return ` > ${exclusiveMinimum} and <= ${maximum}`;
  if (minimum !== undefined) return ` >= ${minimum}`;
  if (exclusiveMinimum !== undefined) return ` > ${exclusiveMinimum}`;
  if (maximum !== undefined) return ` <= ${maximum}`;
  return '';
}

/** A value as a message shows it: strings quoted, numbers as written. */
export function foundOf(value: unknown, source?: string): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nothing (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return quoteInput(value);
  if (typeof value === 'number' && source !== undefined) return source;
  return String(value);
}

// YAML and JSON read an unquoted 15.80 as the number 15.8: the trailing zero,
// which the wire keeps, is gone before the schema sees the value.
function quoteHint(
  value: unknown,
  schema: Schema,
  options: DescribeOptions,
  path: (string | number)[],
): string {
  const wantsString =
    schema.type === 'string' ||
    schema.enum?.every((entry) => typeof entry === 'string');

  if (typeof value !== 'number' || !wantsString) return '';
  const written = options.sourceOf?.(path) ?? String(value);

  if (options.decimals.has(schema)) {
    const language = options.language ?? 'YAML';
    const because =
      written === String(value)
        ? `because ${language} reads unquoted decimals as numbers (15.80 as 15.8)`
        : `because ${language} reads ${written} as ${value}`;
    const scale = path.at(-1) === 'price' ? PRICE_SCALE : MONEY_SCALE;
    const suggestion = atScale(written, value, scale);

    // No quoting makes 2.435 an amount of the wire's.
    if (suggestion === undefined) {
      return `, with more decimals than the ${scale} the wire writes`;
    }
    return ` unquoted; quote it as "${suggestion}", ${because}`;
  }

  return ` unquoted; quote it as "${written}"`;
}

// The wire writes money in fen, at 2 decimals (15.80), and a unit price at
// 5 (3.08000); a suggestion at that scale matches the wire as it is.
const MONEY_SCALE = 2;
const PRICE_SCALE = 5;

// `written` with its decimals filled up to `scale` (a number in another form,
// 1e3, as it reads); undefined when it has more decimals than that.
function atScale(
  written: string,
  value: number,
  scale: number,
): string | undefined {
  const plain = /^-?\d+(\.\d+)?$/.test(written) ? written : String(value);
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(plain);

  if (!match) return plain;
  const [, whole, decimals = ''] = match;

  return decimals.length > scale
    ? undefined
    : `${whole}.${decimals.padEnd(scale, '0')}`;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const closest = closestName(word, candidates);

  return closest === undefined ? '' : ` (did you mean "${closest}"?)`;
}

function segmentsOf(pointer: string, root: unknown): (string | number)[] {
  const segments: (string | number)[] = [];
  let value = root;

  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const segment = Array.isArray(value) ? Number(key) : key;

    segments.push(segment);
    value = valueAt(value, [segment]);
  }

  return segments;
}

function pointerOf(path: readonly (string | number)[]): string {
  return path
    .map(
      (segment) =>
        `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`,
    )
    .join('');
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;

  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }

  return value;
}
