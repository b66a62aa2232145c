import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * The JSON Schema of scenario files. It ships with the package so that
 * editors can check files as they are written, and the loader checks them
 * against the same file.
 */
export const SCENARIO_SCHEMA_FILE = fileURLToPath(
  new URL('../../schema/scenario.schema.json', import.meta.url),
);

/**
 * A list entry written either as a bare name or as a map of one name to its
 * arguments: a timeline step, an expected frame.
 */
export interface OneKeyUnion {
  /** What one entry is called in messages: "step", "frame type". */
  what: string;
  /** Names that may stand alone. */
  bare: readonly string[];
  /** Names that may be the one key of a map. */
  withArguments: readonly string[];
  /** Checks the arguments of `name`, which is one of `withArguments`. */
  validateArguments(name: string): ValidateFunction;
}

export interface CompiledScenarioSchema {
  /** Checks a whole document; steps and frames are better checked alone. */
  validateDocument: ValidateFunction;
  steps: OneKeyUnion;
  frames: OneKeyUnion;
  /**
   * How to say in a message what a schema wants, for the schemas whose
   * keywords alone say it badly (patterns, unions).
   */
  phrases: ReadonlyMap<unknown, string>;
  /** Schemas of money written as decimal strings. */
  decimals: ReadonlySet<unknown>;
}

interface SchemaNode {
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  then?: SchemaNode;
  else?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
  $id?: string;
}

let compiled: CompiledScenarioSchema | undefined;

/** The scenario schema, read and compiled on first use. */
export function scenarioSchema(): CompiledScenarioSchema {
  compiled ??= compile(
    JSON.parse(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')) as SchemaNode,
  );

  return compiled;
}

function compile(schema: SchemaNode): CompiledScenarioSchema {
  // verbose: messages are built from the failing schema and value.
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
  });

  ajv.addSchema(schema);
  const id = schema.$id ?? '';
  const definitions = schema.definitions ?? {};
  const at = (pointer: string) => ajv.compile({ $ref: `${id}#${pointer}` });
  const oneKeyUnion = (
    what: string,
    bareDefinition: string,
    mapDefinition: string,
  ): OneKeyUnion => {
    const cache = new Map<string, ValidateFunction>();

    return {
      what,
      bare: definitions[bareDefinition]?.enum ?? [],
      withArguments: Object.keys(definitions[mapDefinition]?.properties ?? {}),
      validateArguments(name) {
        let validate = cache.get(name);

        if (!validate) {
          validate = at(
            `/definitions/${mapDefinition}/properties/${escapePointer(name)}`,
          );
          cache.set(name, validate);
        }
        return validate;
      },
    };
  };

  return {
    validateDocument: ajv.getSchema(id) ?? ajv.compile(schema),
    steps: oneKeyUnion('step', 'bareStep', 'stepWithArguments'),
    frames: oneKeyUnion('frame type', 'bareFrame', 'frameWithFields'),
    phrases: phrasesFor(schema),
    decimals: new Set([definitions.decimal, definitions.unitPrice]),
  };
}

function phrasesFor(schema: SchemaNode): Map<unknown, string> {
  const definitions = schema.definitions ?? {};
  const phrases = new Map<unknown, string>();
  const add = (node: SchemaNode | undefined, phrase: string) => {
    if (!node) return;
    phrases.set(node, phrase);
    // A failure inside a branch of if/then/else is a failure of the whole.
    if (node.then) phrases.set(node.then, phrase);
    if (node.else) phrases.set(node.else, phrase);
  };
  const stepArguments = definitions.stepWithArguments?.properties;

  add(
    definitions.scenarioName,
    'lower-case letters, digits and hyphens, starting with a letter or digit',
  );
  add(definitions.chinaTime, 'China time as "yyyy-MM-dd HH:mm:ss"');
  add(
    definitions.duration,
    'a duration such as 1.5s, 500ms or 2min, or a number of milliseconds',
  );
  add(
    definitions.decimal,
    'a decimal string with two decimals, such as "2.43"',
  );
  add(
    definitions.unitPrice,
    'a decimal string with five decimals, such as "7.90000"',
  );
  add(definitions.isCreditPay, '"0" or "1"');
  add(
    stepArguments?.['refuse-order'],
    'risk-control, operation-failed or a map with a message',
  );
  add(
    stepArguments?.['close-connection']?.properties?.code,
    '1000, 1001, 1008, 1009, 1011 or a whole number from 4000 to 4999',
  );
  add(
    definitions.expectations?.properties?.order,
    'none, or a map of amount and isCreditPay',
  );

  return phrases;
}

function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
