// decimal.js ships an ES module build whose only export is the default, but
// its type declarations describe the CommonJS build. Loading the CommonJS
// build makes what TypeScript sees and what Node runs the same thing.
import decimalModule from 'decimal.js/decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js/decimal.js';

export const Decimal = decimalModule.Decimal;
export type Decimal = DecimalClass;
export type DecimalRounding = DecimalClass.Rounding;
