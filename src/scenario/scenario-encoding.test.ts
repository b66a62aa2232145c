import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../errors.js';
import { decodeScenarioBytes } from './scenario-encoding.js';

/** The message `bytes` are refused with, or 'no error'. */
function refusal(bytes: Uint8Array): string {
  try {
    decodeScenarioBytes(bytes, 'x.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioFileError);
    return (err as ScenarioFileError).message;
  }
  return 'no error';
}

// 操作失败 as a Chinese Windows editor saves it, in GBK.
const GBK_OPERATION_FAILED = [0xb2, 0xd9, 0xd7, 0xf7, 0xca, 0xa7, 0xb0, 0xdc];

describe('decodeScenarioBytes', () => {
  it('reads UTF-8, with or without a byte-order mark', () => {
    const text = 'description: 操作失败\n';

    expect(decodeScenarioBytes(Buffer.from(text), 'x.yaml')).toBe(text);
    expect(
      decodeScenarioBytes(
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
        'x.yaml',
      ),
    ).toBe(text);
  });

  it('refuses GBK at the line and column of the first byte that is not UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from(
        'description: 买\ntimeline: []\nexpect:\n  frames:\n    - failure: { msg: ',
      ),
      Buffer.from(GBK_OPERATION_FAILED),
      Buffer.from(' }\n'),
    ]);

    expect(refusal(bytes)).toBe(
      'x.yaml:5:23: file is not UTF-8 (found byte 0xB2, as GBK or another legacy encoding writes); save it as UTF-8',
    );
  });

  it('counts the column in characters, after UTF-8 text on the same line', () => {
    const bytes = Buffer.concat([
      Buffer.from('description: 买了'),
      Buffer.from([0xe4, 0xb8, 0x41]),
    ]);

    expect(refusal(bytes)).toBe(
      'x.yaml:1:16: file is not UTF-8 (found byte 0xE4, as GBK or another legacy encoding writes); save it as UTF-8',
    );
  });

  it('refuses UTF-16 by its byte-order mark or its NUL bytes, without its content', () => {
    const text = 'description: d\ntimeline: []\n';
    const message = 'x.yaml:1:1: file is UTF-16; save it as UTF-8';

    expect(
      refusal(
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(text, 'utf16le'),
        ]),
      ),
    ).toBe(message);
    expect(
      refusal(
        Buffer.concat([
          Buffer.from([0xfe, 0xff]),
          Buffer.from(text, 'utf16le').swap16(),
        ]),
      ),
    ).toBe(message);
    expect(refusal(Buffer.from(text, 'utf16le'))).toBe(message);
  });

  it('refuses what UTF-8 forbids: overlong forms, surrogates, a cut sequence', () => {
    expect(refusal(Buffer.from([0x61, 0xc0, 0xaf]))).toMatch(
      /^x\.yaml:1:2: file is not UTF-8 \(found byte 0xC0,/,
    );
    expect(refusal(Buffer.from([0xed, 0xa0, 0x80]))).toMatch(
      /^x\.yaml:1:1: file is not UTF-8 \(found byte 0xED,/,
    );
    expect(refusal(Buffer.from([0x61, 0x0a, 0x62, 0xe6, 0x93]))).toMatch(
      /^x\.yaml:2:2: file is not UTF-8 \(found byte 0xE6,/,
    );
  });
});
