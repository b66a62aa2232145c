import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_FIXTURES_DIR } from '../../src/config.js';
import { converse, startQuietEmulator } from './conversation.js';

const dir = mkdtempSync(join(tmpdir(), 'close-reasons-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('close reasons in Chinese, 3 bytes a character', () => {
  it('cuts a long reason at 123 bytes between characters, after the failure frame', async () => {
    const fixtures = join(dir, 'fixtures');

    cpSync(BUNDLED_FIXTURES_DIR, fixtures, { recursive: true });
    // A cabinet with a long Chinese name that lacks the scenario's aisle.
    writeFileSync(
      join(fixtures, 'cabinets', 'small.json'),
      JSON.stringify({
        name: '小柜'.repeat(30),
        deviceNos: ['SMALL-1'],
        aisles: [
          {
            aisleId: 9001,
            shelf: 1,
            stock: 3,
            product: {
              id: 9001,
              name: '可口可乐330ml',
              typeName: '碳酸饮料',
              pricing: 'counted',
              price: '3.00',
              costPrice: '1.90',
              unitWeightGrams: 345,
              image: 'cola.jpg',
            },
          },
        ],
      }),
    );

    const emulator = await startQuietEmulator({
      scenario: 'seed-fruit',
      fixturesDir: fixtures,
    });
    const { frames, closeCode, closeReason } = await converse(
      emulator.purchaseUrl({ deviceNo: 'SMALL-1' }),
    );

    await emulator.close();

    const prefix = 'scenario "seed-fruit": step 3: cabinet "';

    // 40 bytes of ASCII leave 83: 27 characters of 3 bytes, not 28.
    expect(frames).toEqual(['{"msg":"","success":false,"type":"failure"}']);
    expect(closeCode).toBe(1011);
    expect(closeReason).toBe(prefix + '小柜'.repeat(14).slice(0, 27));
    expect(Buffer.byteLength(closeReason)).toBe(121);
  });

  it("sends a scenario's Chinese reason of exactly 123 bytes whole", async () => {
    const file = join(dir, 'chinese-close.yaml');
    const reason = '柜'.repeat(41);

    writeFileSync(
      file,
      [
        'description: the cloud closes the socket with a Chinese reason',
        'timeline:',
        '  - wait: 1s',
        `  - close-connection: { code: 4000, reason: ${reason} }`,
        '',
      ].join('\n'),
    );

    const emulator = await startQuietEmulator({ scenario: file });
    const result = await converse(emulator.purchaseUrl());

    await emulator.close();

    expect([result.closeCode, result.closeReason]).toEqual([4000, reason]);
  });
});
