import { MAX_DEVICE_NO_LENGTH } from '../protocol/device-number.js';
import { readFileSync } from 'node:fs';
import { SCENARIO_SCHEMA_FILE } from '../scenario/scenario-schema.js';

// JSON Schemas of the control API, for the OpenAPI document and for
// fastify to check requests and write responses with. Money is a decimal
// string; times of day are ISO 8601 in UTC.

type Schema = Record<string, unknown>;

const nullable = (schema: Schema): Schema => ({
  ...schema,
  type: [schema.type as string, 'null'],
});

const object = (properties: Record<string, Schema>, extra: Schema = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  ...extra,
});

const string = { type: 'string' };
const integer = { type: 'integer' };
const number = { type: 'number' };
const boolean = { type: 'boolean' };
const decimal = { type: 'string', pattern: '^-?[0-9]+\\.[0-9]{2,}$' };
const time = { type: 'string', format: 'date-time' };
const list = (items: Schema) => ({ type: 'array', items });

export const errorSchema = object(
  { statusCode: integer, error: string, message: string },
  { description: 'The same error shape as the rest of the server' },
);

export const deviceParams = object({
  deviceNo: {
    type: 'string',
    description: `A device number, 1 to ${MAX_DEVICE_NO_LENGTH} characters. Any such number is a cabinet: one its fixture names, or the default cabinet.`,
  },
});

const doorState = {
  type: 'string',
  enum: ['locked', 'unlocking', 'unlocked', 'open', 'closed'],
};

const sessionBrief = object({
  id: string,
  scenario: string,
  startedAt: time,
  tradeNo: string,
  elapsedMs: {
    ...number,
    description:
      'milliseconds of session time since the shopper connected (faster than the wall clock under --speed)',
  },
  waitingForActions: boolean,
  frames: { ...integer, description: 'frames sent to the shopper so far' },
});

export const cabinetSummarySchema = object({
  deviceNo: string,
  fixture: { ...string, description: "the cabinet fixture's name" },
  door: doorState,
  scenario: {
    ...string,
    description: 'the scenario its next session plays',
  },
  scenarioAssigned: {
    type: 'boolean',
    description:
      'true when that scenario was chosen through the API, false for the start-up one',
  },
  session: { oneOf: [sessionBrief, { type: 'null' }] },
});

const basketLineFields = {
  aisleId: integer,
  productId: integer,
  name: string,
  quantity: integer,
  quantityUnit: { type: 'string', enum: ['g', '件'] },
  amount: decimal,
};

const basketLines = list(object(basketLineFields));

const basketSchema = object({ amount: decimal, lines: basketLines });

const alarmSchema = object({ atMs: number, openForMs: number });

const anomalySchema = object({
  aisleId: integer,
  kind: {
    type: 'string',
    enum: [
      'unexplained-change',
      'more-returned-than-taken',
      'no-reading',
      'unsettled',
    ],
  },
  grams: number,
  atMs: number,
});

export const cabinetStateSchema = object({
  ...cabinetSummarySchema.properties,
  description: string,
  aisles: list(
    object({
      aisleId: integer,
      shelf: integer,
      product: object({
        id: integer,
        name: string,
        typeName: string,
        pricing: { type: 'string', enum: ['weighed', 'counted'] },
        price: decimal,
        imageUrl: string,
      }),
      stock: {
        ...integer,
        description: 'pieces (counted) or grams (weighed) on the shelf now',
      },
      held: {
        ...integer,
        description: 'pieces or grams of this aisle the shopper holds',
      },
      liveGrams: {
        ...nullable(number),
        description:
          "the aisle's last load-cell reading, tray included; null with no session or no reading",
      },
    }),
  ),
  alarms: list(alarmSchema),
  anomalies: list(anomalySchema),
  basket: { oneOf: [basketSchema, { type: 'null' }] },
});

export const orderSchema = object({
  tradeNo: string,
  deviceNo: string,
  createdAt: time,
  createTime: { ...string, description: 'as in the final frame, China time' },
  amount: decimal,
  paymentMode: { type: 'string', enum: ['password-free', 'manual'] },
  paid: boolean,
  paidAt: nullable(time),
  orderInfo: string,
  discounts: list(object({ name: string, kind: string, amount: decimal })),
  lines: list(
    object({
      ...basketLineFields,
      price: {
        type: 'string',
        pattern: '^\\d+\\.\\d{5}$',
        description:
          'unit price as the final frame has it, five decimals: 元/斤 (500 g) when weighed, 元/件 when counted',
      },
    }),
  ),
});

export const sessionSummarySchema = object({
  id: string,
  deviceNo: string,
  scenario: string,
  tradeNo: string,
  startedAt: time,
  endedAt: nullable(time),
  end: {
    type: ['string', 'null'],
    enum: ['order-made', 'nothing-bought', 'failed', 'cancelled', null],
  },
});

export const sessionSchema = object({
  ...sessionSummarySchema.properties,
  transcript: list(
    object({
      atMs: { ...number, description: 'ms since the shopper connected' },
      direction: { type: 'string', enum: ['out'] },
      frame: { ...string, description: 'the frame exactly as sent' },
    }),
  ),
  alarms: list(alarmSchema),
  anomalies: list(anomalySchema),
});

export const scenarioAssignmentSchema = object({
  deviceNo: string,
  scenario: string,
  assigned: {
    ...boolean,
    description:
      'true when set through the API, false when the start-up scenario is back',
  },
});

export const tokenSchema = object({ token: string, expiresAt: time });

/**
 * A scenario step as a request body, in the scenario files' grammar. Only
 * for the OpenAPI document: requests are checked by the scenario loader's
 * own step check, so that its messages are the files' messages.
 */
export function stepBodySchema(): Schema {
  const file = JSON.parse(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')) as {
    definitions: Record<string, Schema>;
  };
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (node === null || typeof node !== 'object') return node;

    const ref = (node as Schema).$ref;

    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
      return inline(file.definitions[ref.slice('#/definitions/'.length)]);
    }
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, inline(value)]),
    );
  };

  return {
    description:
      'One step in the scenario files\' grammar (scenarios/README.md): a bare name such as "open-door", or a map of one step to its fields.',
    oneOf: [
      inline(file.definitions.bareStep),
      inline(file.definitions.stepWithArguments),
    ],
    examples: [
      'open-door',
      { take: { aisle: 6150, count: 1 } },
      { 'put-back': { aisle: 6150, count: 1 } },
      'close-door',
    ],
  };
}
