import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { FixtureError } from '../errors.js';
import { loadCabinetDirectory } from './load-cabinets.js';

describe('the bundled default cabinet', () => {
  const directory = loadCabinetDirectory(BUNDLED_FIXTURES_DIR);
  const cabinet = directory.defaultCabinet;

  it('has at least 8 aisles, every product with a picture', () => {
    expect(cabinet.aisles.size).toBeGreaterThanOrEqual(8);
  });

  it('carries the vendor example fruit on aisle 5595', () => {
    const { product } = cabinet.aisles.get(5595)!;

    expect(product).toMatchObject({
      id: 3343,
      name: '水果',
      typeName: '水果',
      pricing: 'weighed',
    });
    expect(product.price.toFixed(5)).toBe('3.08000');
    expect(product.costPrice.toFixed(5)).toBe('0.00560');
  });

  it('carries the vendor example yoghurt on aisle 6140', () => {
    const { product } = cabinet.aisles.get(6140)!;

    expect(product).toMatchObject({
      id: 3462,
      name: '华农原味酸牛奶(买二送一)',
      typeName: '华农酸奶',
      pricing: 'counted',
    });
    expect(product.price.toFixed(5)).toBe('7.90000');
    expect(product.costPrice.toFixed(5)).toBe('6.90000');
  });

  it('gives every counted product a unit weight', () => {
    for (const { product } of cabinet.aisles.values()) {
      if (product.pricing === 'counted') {
        expect(product.unitWeightGrams).toBeGreaterThan(0);
      }
    }
  });

  it('serves any device number', () => {
    expect(directory.cabinetFor('any-device-at-all')).toBe(cabinet);
  });
});

describe('loadCabinetDirectory', () => {
  let dir: string;

  const aisle = (aisleId: number, product: Record<string, unknown> = {}) => ({
    aisleId,
    shelf: 1,
    stock: 5,
    product: {
      id: aisleId,
      name: `product ${aisleId}`,
      typeName: 'snacks',
      pricing: 'counted',
      price: '1.50',
      costPrice: '1.00',
      unitWeightGrams: 50,
      image: 'p.jpg',
      ...product,
    },
  });

  const writeCabinet = (name: string, content: unknown) =>
    writeFileSync(
      join(dir, 'cabinets', name),
      typeof content === 'string' ? content : JSON.stringify(content),
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cabinet-fixtures-'));
    mkdirSync(join(dir, 'cabinets'));
    mkdirSync(join(dir, 'images'));
    writeFileSync(join(dir, 'images', 'p.jpg'), 'not really a picture');
    writeCabinet('default.json', { name: 'default', aisles: [aisle(1)] });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the devices a fixture names its cabinet, and others the default', () => {
    writeCabinet('north.json', {
      name: 'north',
      deviceNos: ['N-1', 'N-2'],
      aisles: [aisle(7)],
    });

    const directory = loadCabinetDirectory(dir);

    expect(directory.cabinetFor('N-2').name).toBe('north');
    expect(directory.cabinetFor('S-9').name).toBe('default');
  });

  it('refuses device numbers in the default cabinet, which serves them all already', () => {
    writeCabinet('default.json', {
      name: 'd',
      deviceNos: ['X'],
      aisles: [aisle(1)],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /default\.json: \/deviceNos: the default cabinet already serves/,
    );
  });

  it('reads the models a fixture names, realistic where it names none', () => {
    writeCabinet('north.json', {
      name: 'north',
      deviceNos: ['N-1'],
      models: { door: 'ideal' },
      aisles: [{ ...aisle(7), loadCell: 'dead' }],
    });

    const directory = loadCabinetDirectory(dir);

    expect(directory.cabinetFor('N-1').models).toEqual({
      door: 'ideal',
      loadCell: 'realistic',
    });
    expect(directory.cabinetFor('N-1').aisles.get(7)!.loadCell).toBe('dead');
    expect(directory.defaultCabinet.models).toEqual({
      door: 'realistic',
      loadCell: 'realistic',
    });
  });

  it('reads a file that starts with a UTF-8 byte-order mark', () => {
    writeCabinet(
      'default.json',
      `\uFEFF${JSON.stringify({ name: 'bom', aisles: [aisle(1)] })}`,
    );

    expect(loadCabinetDirectory(dir).defaultCabinet.name).toBe('bom');
  });

  it('skips hidden files', () => {
    writeCabinet('.default.json', '{ broken');

    expect(loadCabinetDirectory(dir).cabinets).toHaveLength(1);
  });

  it('refuses two cabinets of one name', () => {
    writeCabinet('twin.json', {
      name: 'default',
      deviceNos: ['T'],
      aisles: [aisle(1)],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /twin\.json: \/name: "default" is already the name of .*default\.json/,
    );
  });

  it('refuses a picture that is a folder', () => {
    mkdirSync(join(dir, 'images', 'folder.jpg'));
    writeCabinet('default.json', {
      name: 'd',
      aisles: [aisle(1, { image: 'folder.jpg' })],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(/"folder\.jpg" is not in/);
  });

  it('needs a default cabinet', () => {
    rmSync(join(dir, 'cabinets', 'default.json'));

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /default cabinet fixture is missing/,
    );
  });

  it('names the file and field of a price with more than 5 decimals', () => {
    writeCabinet('default.json', {
      name: 'd',
      aisles: [aisle(1, { price: '1.123456' })],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(FixtureError);
    expect(() => loadCabinetDirectory(dir)).toThrow(
      /default\.json: \/aisles\/0\/product\/price: must match pattern/,
    );
  });

  it('refuses a price given as a JSON number, which would pass through a float', () => {
    writeCabinet('default.json', {
      name: 'd',
      aisles: [aisle(1, { price: 1.5 })],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /\/aisles\/0\/product\/price: must be string/,
    );
  });

  it('refuses an aisle that appears twice', () => {
    writeCabinet('default.json', { name: 'd', aisles: [aisle(1), aisle(1)] });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /\/aisles\/1\/aisleId: aisle 1 appears twice/,
    );
  });

  it('refuses a counted product without a unit weight', () => {
    writeCabinet('default.json', {
      name: 'd',
      aisles: [aisle(1, { unitWeightGrams: undefined })],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /a counted product needs unitWeightGrams/,
    );
  });

  it('refuses a picture that is not in the images folder', () => {
    writeCabinet('default.json', {
      name: 'd',
      aisles: [aisle(1, { image: 'gone.jpg' })],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(/"gone\.jpg" is not in/);
  });

  it('refuses a device named by two fixtures', () => {
    writeCabinet('a.json', { name: 'a', deviceNos: ['X'], aisles: [aisle(1)] });
    writeCabinet('b.json', { name: 'b', deviceNos: ['X'], aisles: [aisle(1)] });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /b\.json: deviceNo "X" is already served by .*a\.json/,
    );
  });

  it('refuses a file that is not JSON, saying so', () => {
    writeCabinet('default.json', '{ "name": ');

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /default\.json: not valid JSON/,
    );
  });

  it('names an unknown field', () => {
    writeCabinet('default.json', {
      name: 'd',
      colour: 'red',
      aisles: [aisle(1)],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      /must NOT have additional properties \("colour"\)/,
    );
  });
});
