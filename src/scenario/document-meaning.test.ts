import { describe, expect, it } from 'vitest';
import { checkMeaning } from './document-meaning.js';

describe('checkMeaning', () => {
  it('finds nothing wrong with a sound document', () => {
    expect(
      checkMeaning(
        {
          description: 'd',
          startTime: '2019-10-11 14:45:10',
          timeline: ['open-door', { wait: '59min' }, 'close-door'],
          expect: { frames: [{ final: { after: 5000, before: '5s' } }] },
        },
        'sound',
      ),
    ).toEqual([]);
  });

  it('leaves parts of the wrong shape to the schema, without throwing', () => {
    expect(
      checkMeaning(
        {
          startTime: 20191011,
          settle: -1,
          timeline: [{ wait: 'soon' }, { 'close-connection': 'now' }, 7],
          expect: { frames: 'all', otherShoppers: [null] },
        },
        'odd',
      ),
    ).toEqual([
      {
        path: ['expect', 'otherShoppers'],
        atKey: false,
        message: 'expected 0 entries, one per another-shopper step, found 1',
      },
    ]);
    expect(checkMeaning([1, 2], 'odd')).toEqual([]);
  });

  it('names each problem by its path from the document root', () => {
    expect(
      checkMeaning(
        {
          timeline: [
            { 'close-connection': { code: 4000, reason: '柜'.repeat(42) } },
          ],
          expect: {
            otherShoppers: [{ frames: [{ door: { after: 2, before: 1 } }] }],
          },
        },
        'paths',
      ).map(({ path, atKey }) => [path, atKey]),
    ).toEqual([
      [['timeline', 0, 'close-connection', 'reason'], false],
      [['expect', 'otherShoppers', 0, 'frames', 0, 'door', 'before'], false],
      [['expect', 'otherShoppers'], false],
    ]);
  });
});
