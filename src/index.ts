export { startEmulator } from './emulator.js';
export type {
  PurchaseUrlParams,
  RunningEmulator,
  StartEmulatorOptions,
} from './emulator.js';
export type { EmulatorOptions, ImageUrlStyle, LogLevel } from './config.js';
export type { RoundingMode } from './pricing/rounding.js';
export type {
  DiscountRecord,
  OrderLineRecord,
  RecordedOrder,
} from './journal/order-record.js';
export {
  bundledScenarios,
  loadScenario,
} from './scenario/scenario-catalogue.js';
export type { Scenario, ScenarioStep } from './scenario/scenario.js';
export { EmulatorError } from './errors.js';
