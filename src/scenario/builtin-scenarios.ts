import { UnknownScenarioError } from '../errors.js';
import { FailureMessage } from '../protocol/failure-messages.js';
import type { Scenario } from './scenario.js';

// Aisles of the default cabinet (fixtures/cabinets/default.json) that the
// built-in scenarios shop from.
const FRUIT = 5595; // 水果, weighed, 3.08000 元/斤: the vendor's update example
const CHERRY_TOMATOES = 5597; // weighed, 6.80000 元/斤
const YOGHURT = 6140; // 华农原味酸牛奶, counted, 7.90000 元/件: the vendor's final example
const COLA = 6150; // counted, 3.00000 元/件
const CRISPS = 6161; // counted, 7.50000 元/件

// The lock opens about 0.8 s after the shopper connects (the door model);
// the shopper then pulls the door open. The firmware reports a change once
// the aisle's scale has been still for 1.5 s, so actions on one aisle are
// spaced further apart than that, or they would be seen as one change.
const BETWEEN_ACTIONS_MS = 2000;
const SAME_AISLE_AGAIN_MS = 2800;

export const builtinScenarios: Readonly<Record<string, Scenario>> = {
  'happy-path': {
    name: 'happy-path',
    description:
      'takes cherry tomatoes by weight, a cola and a bag of crisps, puts the crisps back, closes the door',
    steps: [
      { action: 'open-door' },
      { action: 'wait', ms: 1000 },
      { action: 'take', aisleId: CHERRY_TOMATOES, grams: 356 },
      { action: 'wait', ms: BETWEEN_ACTIONS_MS },
      { action: 'take', aisleId: COLA, count: 1 },
      { action: 'wait', ms: BETWEEN_ACTIONS_MS },
      { action: 'take', aisleId: CRISPS, count: 1 },
      { action: 'wait', ms: SAME_AISLE_AGAIN_MS },
      { action: 'put-back', aisleId: CRISPS, count: 1 },
      { action: 'wait', ms: 1500 },
      { action: 'close-door' },
    ],
  },

  'seed-fruit': {
    name: 'seed-fruit',
    description:
      "takes 394 g of fruit and closes: the vendor document's update example, 2.43 元",
    steps: [
      { action: 'open-door' },
      { action: 'wait', ms: 1500 },
      { action: 'take', aisleId: FRUIT, grams: 394 },
      { action: 'wait', ms: BETWEEN_ACTIONS_MS },
      { action: 'close-door' },
    ],
  },

  'seed-yoghurt': {
    name: 'seed-yoghurt',
    description:
      "takes two yoghurts and closes: the vendor document's final example, 15.80 元",
    steps: [
      { action: 'open-door' },
      { action: 'wait', ms: 1500 },
      { action: 'take', aisleId: YOGHURT, count: 2 },
      { action: 'wait', ms: BETWEEN_ACTIONS_MS },
      { action: 'close-door' },
    ],
  },

  empty: {
    name: 'empty',
    description: 'opens the door, takes nothing and closes it (开门无购物)',
    steps: [
      { action: 'open-door' },
      { action: 'wait', ms: 2000 },
      { action: 'close-door' },
    ],
  },

  'risk-control': {
    name: 'risk-control',
    description:
      "takes a yoghurt and closes; WeChat's risk control refuses the order",
    steps: [
      { action: 'open-door' },
      { action: 'wait', ms: 1500 },
      { action: 'take', aisleId: YOGHURT, count: 1 },
      { action: 'wait', ms: BETWEEN_ACTIONS_MS },
      { action: 'refuse-order', message: FailureMessage.riskControl },
      { action: 'close-door' },
    ],
  },

  'operation-failed': {
    name: 'operation-failed',
    description: 'the lock is jammed and never opens (操作失败)',
    steps: [],
    models: { door: 'jammed' },
  },
};

export const DEFAULT_SCENARIO = 'happy-path';

/** The built-in scenario called `name`; throws `UnknownScenarioError`. */
export function findScenario(name: string): Scenario {
  const scenario = Object.hasOwn(builtinScenarios, name)
    ? builtinScenarios[name]
    : undefined;

  if (!scenario) {
    throw new UnknownScenarioError(name, Object.keys(builtinScenarios));
  }

  return scenario;
}
