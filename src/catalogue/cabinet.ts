import type { Decimal } from '../pricing/decimal.js';
import type { DiscountRule } from '../pricing/discounts.js';

/**
 * How a product is sold. A weighed product (散装, `isBulk` "1") is priced per
 * 斤 and measured in grams; a counted product (`isBulk` "0") per piece.
 */
export type PricingMethod = 'weighed' | 'counted';

export interface Product {
  id: number;
  name: string;
  typeName: string;
  pricing: PricingMethod;
  /** 元 per 斤 when weighed, 元 per piece when counted. */
  price: Decimal;
  costPrice: Decimal;
  /** Weight of one piece; only counted products have one. */
  unitWeightGrams: number | undefined;
  /** File name of the picture, served under `/upload/image/`. */
  image: string;
}

/** One aisle (货道): a lane of one product standing on its own load cell. */
export interface Aisle {
  aisleId: number;
  shelf: number;
  /** Pieces on a counted aisle, grams on a weighed one. */
  stock: number;
  product: Product;
  /** This aisle's load-cell model, over the cabinet's. */
  loadCell: string | undefined;
}

/** Names of the door and load-cell models a cabinet is built with. */
export interface CabinetModels {
  door: string;
  loadCell: string;
}

/**
 * What the cabinet's own screen shows between purchases: a slideshow of
 * pictures, or one video. Links are addresses the screen client prefixes
 * with the image base address it fetches, so usually paths.
 */
export type CabinetAds =
  | { type: 'images'; links: readonly string[] }
  | { type: 'video'; link: string };

export interface Cabinet {
  name: string;
  /** The fixture's free text about the cabinet; empty when it has none. */
  description: string;
  /** The fixture file the cabinet was read from. */
  file: string;
  /** Devices this cabinet answers for; empty for the default cabinet. */
  deviceNos: readonly string[];
  /**
   * The scenario each named device plays, by device number: a scenario's
   * name, or a file path resolved against the fixture's folder. Devices not
   * named play the emulator's default scenario.
   */
  deviceScenarios: ReadonlyMap<string, string>;
  models: CabinetModels;
  aisles: ReadonlyMap<number, Aisle>;
  /** Taken off every order, in this order; empty when the fixture has none. */
  discounts: readonly DiscountRule[];
  /** What the cabinet's screen shows; none when the fixture names none. */
  ads?: CabinetAds;
}
