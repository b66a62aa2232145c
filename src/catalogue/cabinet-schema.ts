// The shape of a cabinet fixture file. Prices are strings so that no value
// ever passes through a binary float: the wire carries them at 5 decimals,
// so no more than 5 are accepted.
const decimalString = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,5})?$',
} as const;

// Discounts are money the shopper sees, so whole fen only.
const fenString = {
  type: 'string',
  pattern: '^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,2})?$',
} as const;

const discountName = { type: 'string', minLength: 1 } as const;

// The screen's ad frame joins picture links with commas, so a link may hold
// none; nor spaces, which no address needs.
const adLink = { type: 'string', pattern: '^[^,\\s]+$' } as const;

const positiveId = { type: 'integer', minimum: 1, maximum: 2_147_483_647 };

export const cabinetFixtureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'aisles'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    models: {
      type: 'object',
      additionalProperties: false,
      properties: {
        door: { type: 'string', minLength: 1 },
        loadCell: { type: 'string', minLength: 1 },
      },
    },
    deviceNos: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
    },
    scenarios: {
      type: 'object',
      propertyNames: { minLength: 1 },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    aisles: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['aisleId', 'shelf', 'stock', 'product'],
        properties: {
          aisleId: positiveId,
          shelf: { type: 'integer', minimum: 1 },
          stock: { type: 'integer', minimum: 0 },
          loadCell: { type: 'string', minLength: 1 },
          product: {
            type: 'object',
            additionalProperties: false,
            required: [
              'id',
              'name',
              'typeName',
              'pricing',
              'price',
              'costPrice',
              'image',
            ],
            properties: {
              id: positiveId,
              name: { type: 'string', minLength: 1 },
              typeName: { type: 'string', minLength: 1 },
              pricing: { enum: ['weighed', 'counted'] },
              price: decimalString,
              costPrice: decimalString,
              // The firmware tracks changes under 5 g into its zero, so a
              // piece must weigh at least twice that to be seen.
              unitWeightGrams: { type: 'integer', minimum: 10 },
              image: {
                type: 'string',
                pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*\\.(jpg|jpeg|png|webp)$',
              },
            },
          },
        },
      },
    },
    ads: {
      type: 'object',
      required: ['type'],
      discriminator: { propertyName: 'type' },
      oneOf: [
        {
          additionalProperties: false,
          required: ['type', 'links'],
          properties: {
            type: { const: 'images' },
            links: { type: 'array', minItems: 1, items: adLink },
          },
        },
        {
          additionalProperties: false,
          required: ['type', 'link'],
          properties: {
            type: { const: 'video' },
            link: adLink,
          },
        },
      ],
    },
    // The rule's kind picks its fields, so that a mistake is reported
    // against the kind the author meant rather than against every kind.
    discounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [
          {
            additionalProperties: false,
            required: ['name', 'kind', 'productId', 'buy', 'free'],
            properties: {
              name: discountName,
              kind: { const: 'buy-get-free' },
              productId: positiveId,
              buy: { type: 'integer', minimum: 1 },
              free: { type: 'integer', minimum: 1 },
            },
          },
          {
            additionalProperties: false,
            required: ['name', 'kind', 'minimum', 'off'],
            properties: {
              name: discountName,
              kind: { const: 'amount-off' },
              minimum: fenString,
              off: fenString,
            },
          },
        ],
      },
    },
  },
} as const;

export interface CabinetFixtureFile {
  name: string;
  description?: string;
  deviceNos?: string[];
  scenarios?: Record<string, string>;
  models?: { door?: string; loadCell?: string };
  aisles: Array<{
    aisleId: number;
    shelf: number;
    stock: number;
    loadCell?: string;
    product: {
      id: number;
      name: string;
      typeName: string;
      pricing: 'weighed' | 'counted';
      price: string;
      costPrice: string;
      unitWeightGrams?: number;
      image: string;
    };
  }>;
  ads?: { type: 'images'; links: string[] } | { type: 'video'; link: string };
  discounts?: Array<
    | {
        name: string;
        kind: 'buy-get-free';
        productId: number;
        buy: number;
        free: number;
      }
    | { name: string; kind: 'amount-off'; minimum: string; off: string }
  >;
}
