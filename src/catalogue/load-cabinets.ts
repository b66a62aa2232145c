import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { Decimal } from '../pricing/decimal.js';
import { DISCOUNT_KINDS, type DiscountRule } from '../pricing/discounts.js';
import { FixtureError } from '../errors.js';
import { DEFAULT_MODEL } from '../physics/models.js';
import { writtenDeviceNoProblem } from '../protocol/device-number.js';
import type { Aisle, Cabinet } from './cabinet.js';
import {
  cabinetFixtureSchema,
  type CabinetFixtureFile,
} from './cabinet-schema.js';

/** The cabinets read from a fixtures folder, and which device gets which. */
export interface CabinetDirectory {
  /** Serves every device that no other fixture names. */
  defaultCabinet: Cabinet;
  cabinets: readonly Cabinet[];
  cabinetFor(deviceNo: string): Cabinet;
  /** The folder that holds the product pictures. */
  imagesDir: string;
}

const DEFAULT_FIXTURE = 'default.json';

const AD_TYPES = ['images', 'video'] as const;

const validateFixture = new Ajv({
  allErrors: true,
  discriminator: true,
  // Keeps the value that failed on each error, to show in the message.
  verbose: true,
}).compile<CabinetFixtureFile>(cabinetFixtureSchema);

/**
 * Reads `cabinets/*.json` and checks the pictures in `images/` under
 * `fixturesDir`. `cabinets/default.json` must exist: it is the cabinet every
 * unnamed device gets.
 */
export function loadCabinetDirectory(fixturesDir: string): CabinetDirectory {
  const cabinetsDir = join(fixturesDir, 'cabinets');
  const imagesDir = join(fixturesDir, 'images');
  const files = listJsonFiles(cabinetsDir);

  if (!files.includes(DEFAULT_FIXTURE)) {
    throw new FixtureError(
      join(cabinetsDir, DEFAULT_FIXTURE),
      'the default cabinet fixture is missing; every fixtures folder needs one',
    );
  }

  const cabinets = files.map((name) =>
    readCabinet(join(cabinetsDir, name), imagesDir),
  );
  const defaultCabinet = cabinets[files.indexOf(DEFAULT_FIXTURE)]!;

  if (defaultCabinet.deviceNos.length > 0) {
    throw new FixtureError(
      defaultCabinet.file,
      '/deviceNos: the default cabinet already serves every device no other fixture names; list devices in another fixture',
    );
  }
  const byDevice = new Map<string, Cabinet>();
  const byName = new Map<string, Cabinet>();

  for (const cabinet of cabinets) {
    const other = byName.get(cabinet.name);

    for (const [path, deviceNo] of [
      ...cabinet.deviceNos.map((each, index) => [`/deviceNos/${index}`, each]),
      ...[...cabinet.deviceScenarios.keys()].map((each) => [
        `/scenarios/${each}`,
        each,
      ]),
    ]) {
      const problem = writtenDeviceNoProblem(deviceNo!);

      if (problem) throw new FixtureError(cabinet.file, `${path}: ${problem}`);
    }

    if (other) {
      throw new FixtureError(
        cabinet.file,
        `/name: "${cabinet.name}" is already the name of ${other.file}`,
      );
    }
    byName.set(cabinet.name, cabinet);
  }

  for (const cabinet of cabinets) {
    if (cabinet === defaultCabinet) continue;

    for (const deviceNo of cabinet.deviceScenarios.keys()) {
      if (!cabinet.deviceNos.includes(deviceNo)) {
        throw new FixtureError(
          cabinet.file,
          `/scenarios/${deviceNo}: "${deviceNo}" is not one of this cabinet's deviceNos (${cabinet.deviceNos.join(', ') || 'none'})`,
        );
      }
    }
    for (const deviceNo of cabinet.deviceNos) {
      const other = byDevice.get(deviceNo);

      if (other) {
        throw new FixtureError(
          cabinet.file,
          `deviceNo "${deviceNo}" is already served by ${other.file}`,
        );
      }
      byDevice.set(deviceNo, cabinet);
    }
  }

  // The default cabinet may give a scenario to any device that is its own,
  // that is, one no other fixture names.
  for (const deviceNo of defaultCabinet.deviceScenarios.keys()) {
    const other = byDevice.get(deviceNo);

    if (other) {
      throw new FixtureError(
        defaultCabinet.file,
        `/scenarios/${deviceNo}: device "${deviceNo}" is served by ${other.file}; give it its scenario there`,
      );
    }
  }

  return {
    defaultCabinet,
    cabinets,
    imagesDir,
    cabinetFor: (deviceNo) => byDevice.get(deviceNo) ?? defaultCabinet,
  };
}

/**
 * A scenario reference with a slash or a file extension is a file; anything
 * else names a bundled scenario.
 */
export function looksLikePath(reference: string): boolean {
  return /[\\/]/.test(reference) || /\.(ya?ml|json)$/i.test(reference);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function listJsonFiles(dir: string): string[] {
  try {
    // Hidden files are editors' and systems' own (.office.json.swp, ._x.json).
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort();
  } catch (err) {
    throw new FixtureError(
      dir,
      `cannot read the cabinets folder (${(err as Error).message})`,
      { cause: err },
    );
  }
}

function readCabinet(file: string, imagesDir: string): Cabinet {
  let parsed: unknown;

  try {
    // Windows editors like to start UTF-8 files with a byte-order mark.
    parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new FixtureError(file, `not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }

  if (!validateFixture(parsed)) {
    throw new FixtureError(file, describeSchemaErrors(validateFixture.errors));
  }

  const aisles = new Map<number, Aisle>();

  parsed.aisles.forEach((entry, index) => {
    const where = `/aisles/${index}`;
    const { product } = entry;

    if (aisles.has(entry.aisleId)) {
      throw new FixtureError(
        file,
        `${where}/aisleId: aisle ${entry.aisleId} appears twice`,
      );
    }
    if (
      product.pricing === 'counted' &&
      product.unitWeightGrams === undefined
    ) {
      throw new FixtureError(
        file,
        `${where}/product: a counted product needs unitWeightGrams`,
      );
    }
    if (
      product.pricing === 'weighed' &&
      product.unitWeightGrams !== undefined
    ) {
      throw new FixtureError(
        file,
        `${where}/product: a weighed product is sold by the gram and has no unitWeightGrams`,
      );
    }
    if (!isFile(join(imagesDir, product.image))) {
      throw new FixtureError(
        file,
        `${where}/product/image: "${product.image}" is not in ${imagesDir}`,
      );
    }

    aisles.set(entry.aisleId, {
      aisleId: entry.aisleId,
      shelf: entry.shelf,
      stock: entry.stock,
      loadCell: entry.loadCell,
      product: {
        ...product,
        price: new Decimal(product.price),
        costPrice: new Decimal(product.costPrice),
        unitWeightGrams: product.unitWeightGrams,
      },
    });
  });

  return {
    name: parsed.name,
    description: parsed.description ?? '',
    file,
    deviceNos: parsed.deviceNos ?? [],
    deviceScenarios: new Map(
      Object.entries(parsed.scenarios ?? {}).map(([deviceNo, scenario]) => [
        deviceNo,
        looksLikePath(scenario) ? resolve(dirname(file), scenario) : scenario,
      ]),
    ),
    models: {
      door: parsed.models?.door ?? DEFAULT_MODEL,
      loadCell: parsed.models?.loadCell ?? DEFAULT_MODEL,
    },
    aisles,
    discounts: readDiscounts(file, parsed.discounts ?? [], aisles),
    ads: parsed.ads,
  };
}

function readDiscounts(
  file: string,
  entries: NonNullable<CabinetFixtureFile['discounts']>,
  aisles: ReadonlyMap<number, Aisle>,
): DiscountRule[] {
  const names = new Map<string, number>();

  return entries.map((entry, index) => {
    const where = `/discounts/${index}`;
    const earlier = names.get(entry.name);

    if (earlier !== undefined) {
      throw new FixtureError(
        file,
        `${where}/name: "${entry.name}" is already the name of /discounts/${earlier}; discount names must differ`,
      );
    }
    names.set(entry.name, index);

    if (entry.kind === 'amount-off') {
      const off = new Decimal(entry.off);

      if (off.isZero()) {
        throw new FixtureError(
          file,
          `${where}/off: expected an amount above 0, found "${entry.off}"`,
        );
      }

      return {
        kind: entry.kind,
        name: entry.name,
        minimum: new Decimal(entry.minimum),
        off,
      };
    }

    checkBuyGetFreeProduct(file, `${where}/productId`, entry.productId, aisles);

    return {
      kind: entry.kind,
      name: entry.name,
      productId: entry.productId,
      buy: entry.buy,
      free: entry.free,
    };
  });
}

// Pieces are counted and each one has a price, so a free piece is worth one
// price; a weighed product has neither, and a product sold at two prices
// would leave the worth of a free piece open.
function checkBuyGetFreeProduct(
  file: string,
  where: string,
  productId: number,
  aisles: ReadonlyMap<number, Aisle>,
): void {
  const carrying = [...aisles.values()].filter(
    (aisle) => aisle.product.id === productId,
  );
  const first = carrying[0];

  if (!first) {
    throw new FixtureError(
      file,
      `${where}: expected the id of a counted product of this cabinet, found ${productId}, which no aisle carries`,
    );
  }
  for (const { aisleId, product } of carrying) {
    if (product.pricing !== 'counted') {
      throw new FixtureError(
        file,
        `${where}: expected the id of a counted product, found ${productId}, which is weighed on aisle ${aisleId}`,
      );
    }
    if (!product.price.eq(first.product.price)) {
      throw new FixtureError(
        file,
        `${where}: expected a product of one price, found ${productId} at ${first.product.price.toFixed(5)} on aisle ${first.aisleId} and ${product.price.toFixed(5)} on aisle ${aisleId}`,
      );
    }
  }
}

function describeSchemaErrors(
  errors: ErrorObject[] | null | undefined,
): string {
  if (!errors?.length) return 'does not match the cabinet schema';

  return errors
    .filter((error) => !isMissingTag(error))
    .map((error) => {
      if (error.keyword === 'discriminator') {
        return describeBadTag(error);
      }

      const path = error.instancePath || '/';
      const extra =
        error.keyword === 'additionalProperties'
          ? ` ("${(error.params as { additionalProperty: string }).additionalProperty}")`
          : error.keyword === 'enum'
            ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
            : '';

      return `${path}: ${error.message}${extra}${found(error.data)}`;
    })
    .join('; ');
}

// Only a value that fits in a message is shown: a wrong object or list is
// told by its path and what it lacks.
function found(data: unknown): string {
  return data === null || typeof data !== 'object'
    ? `, found ${JSON.stringify(data)}`
    : '';
}

interface DiscriminatorParams {
  tag: string;
  tagValue: unknown;
}

// A discount without a kind is already reported as missing its required
// property; the discriminator would say so a second time.
function isMissingTag(error: ErrorObject): boolean {
  return (
    error.keyword === 'discriminator' &&
    (error.params as DiscriminatorParams).tagValue === undefined
  );
}

// Ajv reports a kind it has no branch for against the whole rule, as "value
// of tag must be in oneOf"; report it against the field, with the kinds.
function describeBadTag(error: ErrorObject): string {
  const { tag, tagValue } = error.params as DiscriminatorParams;
  const kinds = error.instancePath === '/ads' ? AD_TYPES : DISCOUNT_KINDS;

  return `${error.instancePath}/${tag}: must be equal to one of the allowed values (${kinds.join(', ')})${found(tagValue)}`;
}
