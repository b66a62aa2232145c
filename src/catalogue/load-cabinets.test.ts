import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { FixtureError } from '../errors.js';
import { loadCabinetDirectory } from './load-cabinets.js';

describe('the bundled promotions cabinet', () => {
  const cabinet =
    loadCabinetDirectory(BUNDLED_FIXTURES_DIR).cabinetFor('promo-cabinet');

  it('serves promo-cabinet with its two rules, the cola one first', () => {
    expect(cabinet.name).toBe('promotions');
    expect(cabinet.discounts.map(({ name, kind }) => [name, kind])).toEqual([
      ['可口可乐 买二送一', 'buy-get-free'],
      ['满20减3', 'amount-off'],
    ]);
  });

  it('carries the cola its buy-get-free rule names', () => {
    expect(cabinet.aisles.get(6150)!.product).toMatchObject({
      id: 3501,
      pricing: 'counted',
    });
  });
});

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

  it.each([
    [
      ' OFFICE-3F ',
      '/deviceNos/0: " OFFICE-3F " has spaces around it; the purchase socket drops them, so no shopper would reach this device: write "OFFICE-3F"',
    ],
    ['  ', '/deviceNos/0: a device number cannot be blank'],
    [
      'x'.repeat(65),
      `/deviceNos/0: "${'x'.repeat(65)}": deviceNo longer than 64 characters`,
    ],
    [
      'A\u001bB',
      '/deviceNos/0: "A\\u001bB": deviceNo contains control characters',
    ],
  ])(
    'refuses a device number no shopper could reach: %j',
    (deviceNo, message) => {
      writeCabinet('a.json', {
        name: 'a',
        deviceNos: [deviceNo],
        aisles: [aisle(1)],
      });

      expect(() => loadCabinetDirectory(dir)).toThrow(
        `${join(dir, 'cabinets', 'a.json')}: ${message}`,
      );
    },
  );

  it('refuses a device scenario of the default cabinet whose device no shopper could reach', () => {
    writeCabinet('default.json', {
      name: 'default',
      scenarios: { 'D-1 ': 'empty' },
      aisles: [aisle(1)],
    });

    expect(() => loadCabinetDirectory(dir)).toThrow(
      '/scenarios/D-1 : "D-1 " has spaces around it',
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

  describe('discount rules', () => {
    const cola = aisle(6150, { id: 3501, price: '3.00' });
    const fruit = aisle(5595, {
      id: 3343,
      pricing: 'weighed',
      unitWeightGrams: undefined,
    });
    const buyTwoGetOne = {
      name: '可口可乐 买二送一',
      kind: 'buy-get-free',
      productId: 3501,
      buy: 2,
      free: 1,
    };
    const twentyOffThree = {
      name: '满20减3',
      kind: 'amount-off',
      minimum: '20.00',
      off: '3.00',
    };

    const withDiscounts = (discounts: unknown, aisles = [cola, fruit]) =>
      writeCabinet('default.json', { name: 'd', aisles, discounts });

    // The whole message, so that the file, the field, what was expected and
    // what was found are all checked.
    const failure = (): { code: string; message: string } => {
      try {
        loadCabinetDirectory(dir);
      } catch (err) {
        return {
          code: (err as FixtureError).code,
          message: (err as Error).message,
        };
      }
      throw new Error('the fixtures loaded');
    };
    const inFile = (message: string) => ({
      code: 'EMU_ERR_FIXTURE_INVALID',
      message: `${join(dir, 'cabinets', 'default.json')}: ${message}`,
    });

    it('reads both kinds of rule, in the order listed', () => {
      withDiscounts([buyTwoGetOne, twentyOffThree]);

      const [free, off] = loadCabinetDirectory(dir).defaultCabinet.discounts;

      expect(free).toEqual({
        kind: 'buy-get-free',
        name: '可口可乐 买二送一',
        productId: 3501,
        buy: 2,
        free: 1,
      });
      expect(off).toMatchObject({ kind: 'amount-off', name: '满20减3' });
      expect(off?.kind === 'amount-off' && off.minimum.toFixed(2)).toBe(
        '20.00',
      );
      expect(off?.kind === 'amount-off' && off.off.toFixed(2)).toBe('3.00');
    });

    it('gives a cabinet without discounts an empty list', () => {
      expect(loadCabinetDirectory(dir).defaultCabinet.discounts).toEqual([]);
    });

    it('refuses buy and free that are not whole numbers of at least 1', () => {
      withDiscounts([{ ...buyTwoGetOne, buy: 1.5, free: 0 }]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/0/buy: must be integer, found 1.5; /discounts/0/free: must be >= 1, found 0',
        ),
      );
    });

    it('refuses a buy-get-free rule for a product no aisle carries', () => {
      withDiscounts([{ ...buyTwoGetOne, productId: 9999 }]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/0/productId: expected the id of a counted product of this cabinet, found 9999, which no aisle carries',
        ),
      );
    });

    it('refuses a buy-get-free rule for a weighed product', () => {
      withDiscounts([{ ...buyTwoGetOne, productId: 3343 }]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/0/productId: expected the id of a counted product, found 3343, which is weighed on aisle 5595',
        ),
      );
    });

    it('refuses a buy-get-free rule for a product sold at two prices', () => {
      withDiscounts(
        [buyTwoGetOne],
        [cola, aisle(6152, { id: 3501, price: '3.50' })],
      );

      expect(failure()).toEqual(
        inFile(
          '/discounts/0/productId: expected a product of one price, found 3501 at 3.00000 on aisle 6150 and 3.50000 on aisle 6152',
        ),
      );
    });

    it('refuses amounts with more than 2 decimals, or given as numbers', () => {
      withDiscounts([{ ...twentyOffThree, minimum: '20.001', off: 3 }]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/0/minimum: must match pattern "^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,2})?$", found "20.001"; /discounts/0/off: must be string, found 3',
        ),
      );
    });

    it('refuses an amount-off rule that takes nothing off', () => {
      withDiscounts([{ ...twentyOffThree, off: '0.00' }]);

      expect(failure()).toEqual(
        inFile('/discounts/0/off: expected an amount above 0, found "0.00"'),
      );
    });

    it('refuses two discounts of one name', () => {
      withDiscounts([
        twentyOffThree,
        { ...buyTwoGetOne, name: twentyOffThree.name },
      ]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/1/name: "满20减3" is already the name of /discounts/0; discount names must differ',
        ),
      );
    });

    it('refuses an empty name', () => {
      withDiscounts([{ ...twentyOffThree, name: '' }]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/0/name: must NOT have fewer than 1 characters, found ""',
        ),
      );
    });

    it('names the kinds there are when a rule has another', () => {
      withDiscounts([{ ...twentyOffThree, kind: 'half-price' }]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/0/kind: must be equal to one of the allowed values (buy-get-free, amount-off), found "half-price"',
        ),
      );
    });

    it('reports a rule without a kind once', () => {
      withDiscounts([{ name: 'x' }]);

      expect(failure()).toEqual(
        inFile("/discounts/0: must have required property 'kind'"),
      );
    });

    it("refuses a field of the other kind's rules", () => {
      withDiscounts([{ ...twentyOffThree, productId: 3501 }]);

      expect(failure()).toEqual(
        inFile(
          '/discounts/0: must NOT have additional properties ("productId")',
        ),
      );
    });
  });

  describe('screen ads', () => {
    const withAds = (ads: unknown) =>
      writeCabinet('default.json', { name: 'd', aisles: [aisle(1)], ads });
    const problem = () => {
      try {
        loadCabinetDirectory(dir);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('the fixtures loaded');
    };
    const inFile = (message: string) =>
      `${join(dir, 'cabinets', 'default.json')}: ${message}`;

    it('reads pictures and a video', () => {
      withAds({ type: 'images', links: ['/a.jpg', '/b.jpg'] });
      expect(loadCabinetDirectory(dir).defaultCabinet.ads).toEqual({
        type: 'images',
        links: ['/a.jpg', '/b.jpg'],
      });

      withAds({ type: 'video', link: '/ad.mp4' });
      expect(loadCabinetDirectory(dir).defaultCabinet.ads).toEqual({
        type: 'video',
        link: '/ad.mp4',
      });
    });

    it('gives a cabinet without ads none', () => {
      expect(loadCabinetDirectory(dir).defaultCabinet.ads).toBeUndefined();
    });

    it('refuses a link with a comma, which would split it on the screen', () => {
      withAds({ type: 'images', links: ['/a.jpg,/b.jpg'] });

      expect(problem()).toBe(
        inFile(
          '/ads/links/0: must match pattern "^[^,\\s]+$", found "/a.jpg,/b.jpg"',
        ),
      );
    });

    it('names the ad types when the type is unknown', () => {
      withAds({ type: 'slides', links: ['/a.jpg'] });

      expect(problem()).toBe(
        inFile(
          '/ads/type: must be equal to one of the allowed values (images, video), found "slides"',
        ),
      );
    });

    it('refuses an empty list of pictures', () => {
      withAds({ type: 'images', links: [] });

      expect(problem()).toBe(
        inFile('/ads/links: must NOT have fewer than 1 items'),
      );
    });
  });
});
