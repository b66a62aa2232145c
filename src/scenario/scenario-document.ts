import type { LoadCellFault } from '../physics/load-cell.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import { parseChinaDateTime } from '../time/china-time.js';
import type {
  CloseExpectation,
  ConnectionExpectation,
  ConnectionFault,
  Expectations,
  FrameExpectation,
  FrameType,
  OrderExpectation,
  PaymentMode,
  Scenario,
  ScenarioRun,
  ScenarioStep,
} from './scenario.js';

/** A duration as a file writes it: milliseconds, or `1.5s`, `500ms`, `2min`. */
export type DurationText = number | string;

/**
 * A scenario file's content once it has passed the schema
 * (`schema/scenario.schema.json`); the names are the file's, not the model's.
 */
export interface ScenarioDocument {
  name?: string;
  description: string;
  cabinet?: string;
  deviceNo?: string;
  seed?: string | number;
  startTime?: string;
  payment?: PaymentMode;
  settle?: DurationText;
  models?: { door?: string; loadCell?: string };
  timeline: (string | Record<string, unknown>)[];
  expect?: ExpectationsDocument;
}

interface ExpectationsDocument {
  frames?: FrameDocument[];
  close?: CloseExpectation;
  order?: 'none' | OrderExpectation;
  otherShoppers?: { frames?: FrameDocument[]; close?: CloseExpectation }[];
}

type FrameDocument = FrameType | Partial<Record<FrameType, FrameFields>>;

// A frame's fields as written in a file: the expectation's own, with its
// time window as durations.
type FrameFields = Omit<FrameExpectation, 'type' | 'afterMs' | 'beforeMs'> & {
  after?: DurationText;
  before?: DurationText;
};

interface AisleArguments {
  aisle: number;
  count?: number;
  grams?: number;
  onto?: number;
  fault?: LoadCellFault;
  gramsPerMinute?: number;
}

/** The moment the vendor document's example session starts, China time. */
export const DEFAULT_START_TIME = '2019-10-11 14:45:10';

export const DEFAULT_CABINET = 'default';

const REFUSALS: Readonly<Record<string, string>> = {
  'risk-control': FailureMessage.riskControl,
  'operation-failed': FailureMessage.operationFailed,
};

/**
 * The scenario a checked document describes. `name` is the name to use when
 * the document gives none (the file's).
 */
export function scenarioFromDocument(
  document: ScenarioDocument,
  name: string,
  file: string,
): Scenario {
  const scenarioName = document.name ?? name;
  const startTime = parseChinaDateTime(
    document.startTime ?? DEFAULT_START_TIME,
  );

  if (startTime === undefined) {
    throw new RangeError(`not a China time: ${document.startTime}`);
  }
  const run: ScenarioRun = {
    cabinet: document.cabinet ?? DEFAULT_CABINET,
    seed: String(document.seed ?? scenarioName),
    startTime,
    expect: expectationsOf(document.expect ?? {}),
  };
  const scenario: Scenario = {
    name: scenarioName,
    description: document.description,
    file,
    steps: document.timeline.map(stepOf),
    payment: document.payment ?? 'password-free',
    run,
  };

  if (document.deviceNo !== undefined) run.deviceNo = document.deviceNo;
  if (document.settle !== undefined)
    scenario.settleMs = durationMs(document.settle);
  if (document.models !== undefined) scenario.models = { ...document.models };

  return scenario;
}

/**
 * Milliseconds in a duration as a file writes it.
 *
 * @example durationMs('1.5s') // 1500
 */
export function durationMs(duration: DurationText): number {
  if (typeof duration === 'number') return duration;
  const match = /^(\d+(?:\.\d+)?)(ms|s|min)$/.exec(duration);

  if (!match) throw new RangeError(`not a duration: ${duration}`);
  const factor = { ms: 1, s: 1000, min: 60_000 }[
    match[2] as 'ms' | 's' | 'min'
  ];

  // 1.1 * 1000 is 1100.0000000000002 in binary floating point.
  return Math.round(Number(match[1]) * factor * 1000) / 1000;
}

/**
 * The step a timeline entry describes, once it has passed the schema.
 *
 * @example stepFromDocument({ take: { aisle: 6150, count: 1 } })
 * // { action: 'take', aisleId: 6150, count: 1 }
 */
export function stepFromDocument(
  entry: string | Record<string, unknown>,
): ScenarioStep {
  return stepOf(entry);
}

/**
 * Where a step's field (as `ScenarioStep` names it: `aisleId`, `onto`,
 * `fault.reason`) is written in the step's timeline entry, as keys from the
 * entry down.
 *
 * @example entryPathOf({ action: 'take', aisleId: 1, count: 1 }, 'aisleId') // ['take', 'aisle']
 */
export function entryPathOf(step: ScenarioStep, field: string): string[] {
  switch (step.action) {
    case 'wait':
      return ['wait'];
    case 'connection-fault': {
      const name = CONNECTION_STEPS[step.fault.kind];
      const key = field.replace(/^fault\./, '');

      // A delay is written as the step's value: `delay-next-frame: 2s`.
      return key === 'ms' ? [name] : [name, key];
    }
    default:
      return [step.action, field === 'aisleId' ? 'aisle' : field];
  }
}

// The steps of a file that each make one kind of connection fault.
const CONNECTION_STEPS: Readonly<Record<ConnectionFault['kind'], string>> = {
  drop: 'drop-connection',
  close: 'close-connection',
  'delay-next-frame': 'delay-next-frame',
  'duplicate-next-frame': 'duplicate-next-frame',
};

function stepOf(entry: string | Record<string, unknown>): ScenarioStep {
  if (typeof entry === 'string') {
    switch (entry) {
      case 'drop-connection':
        return { action: 'connection-fault', fault: { kind: 'drop' } };
      case 'duplicate-next-frame':
        return {
          action: 'connection-fault',
          fault: { kind: 'duplicate-next-frame' },
        };
      default:
        return { action: entry } as ScenarioStep;
    }
  }

  const [name, value] = Object.entries(entry)[0] as [string, unknown];

  switch (name) {
    case 'wait':
      return { action: 'wait', ms: durationMs(value as DurationText) };
    case 'delay-next-frame':
      return {
        action: 'connection-fault',
        fault: { kind: 'delay-next-frame', ms: durationMs(value as string) },
      };
    case 'close-connection': {
      const { code, reason } = value as { code: number; reason?: string };

      return {
        action: 'connection-fault',
        fault: { kind: 'close', code, reason: reason ?? '' },
      };
    }
    case 'refuse-order': {
      const message =
        typeof value === 'string'
          ? (REFUSALS[value] ?? value)
          : (value as { message: string }).message;

      return { action: 'refuse-order', message };
    }
    default:
      return aisleStep(name, value as AisleArguments);
  }
}

function aisleStep(name: string, value: AisleArguments): ScenarioStep {
  const { aisle, ...rest } = value;

  return { action: name, aisleId: aisle, ...rest } as ScenarioStep;
}

function expectationsOf(document: ExpectationsDocument): Expectations {
  const expectations: Expectations = {};

  if (document.frames) expectations.frames = document.frames.map(frameOf);
  if (document.close) expectations.close = { ...document.close };
  if (document.order !== undefined) {
    expectations.order =
      document.order === 'none' ? null : { ...document.order };
  }
  if (document.otherShoppers) {
    expectations.otherShoppers = document.otherShoppers.map((shopper) => {
      const connection: ConnectionExpectation = {};

      if (shopper.frames) connection.frames = shopper.frames.map(frameOf);
      if (shopper.close) connection.close = { ...shopper.close };
      return connection;
    });
  }

  return expectations;
}

function frameOf(entry: FrameDocument): FrameExpectation {
  if (typeof entry === 'string') return { type: entry };
  const [type, fields] = Object.entries(entry)[0] as [FrameType, FrameFields];
  const { after, before, ...rest } = fields;
  const frame: FrameExpectation = { type, ...rest };

  if (after !== undefined) frame.afterMs = durationMs(after);
  if (before !== undefined) frame.beforeMs = durationMs(before);
  return frame;
}
