import { describe, expect, it } from 'vitest';
import type { Order } from '../cabinet/order.js';
import { Decimal } from '../pricing/decimal.js';
import type { TranscriptEntry } from './run-result.js';
import {
  compareTranscript,
  formatTranscript,
  summariseOrder,
  transcriptPathFor,
} from './transcript.js';

const HEADER =
  '# cabinet-emu transcript of scenario "two yoghurts": what each connection saw, at virtual times since the shopper connected. Re-record with: cabinet-emu run --record FILE';

const ENTRIES: TranscriptEntry[] = [
  {
    atMs: 0,
    connection: 'shopper',
    event: 'connect',
    text: '/websocket/ssib/purchase?token=T&deviceNo=D1&appId=A',
  },
  {
    atMs: 812,
    connection: 'shopper',
    event: 'frame',
    text: '{"msg":"","success":true,"type":"door"}',
  },
  {
    atMs: 2500,
    connection: 'shopper 2',
    event: 'close',
    text: '1003 device busy',
  },
  {
    atMs: 12_345,
    connection: 'cabinet',
    event: 'order',
    text: '{"tradeNo":"19101114451054062737","amount":"15.80"}',
  },
];

describe('formatTranscript', () => {
  it('writes a header and one line per entry, times at three decimals, LF and a final newline', () => {
    expect(formatTranscript('two yoghurts', ENTRIES)).toBe(
      `${HEADER}\n` +
        '+0.000s shopper connect /websocket/ssib/purchase?token=T&deviceNo=D1&appId=A\n' +
        '+0.812s shopper frame {"msg":"","success":true,"type":"door"}\n' +
        '+2.500s shopper 2 close 1003 device busy\n' +
        '+12.345s cabinet order {"tradeNo":"19101114451054062737","amount":"15.80"}\n',
    );
  });

  it('writes only the header for a run that saw nothing', () => {
    expect(formatTranscript('two yoghurts', [])).toBe(`${HEADER}\n`);
  });

  it('keeps every entry on one line when a server sends a line break', () => {
    const text = formatTranscript('a\nb', [
      { atMs: 1, connection: 'shopper', event: 'frame', text: '{}\r\n{}' },
    ]);

    expect(text.split('\n')).toEqual([
      '# cabinet-emu transcript of scenario "a\\nb": what each connection saw, at virtual times since the shopper connected. Re-record with: cabinet-emu run --record FILE',
      '+0.001s shopper frame {}\\r\\n{}',
      '',
    ]);
  });
});

describe('summariseOrder', () => {
  it('writes the order amount at scale 2', () => {
    const order: Order = {
      tradeNo: '19101114451054062737',
      deviceNo: 'D1',
      createdAt: 0,
      amount: new Decimal('15.8'),
      creditPay: true,
      discounts: [],
      orderInfo: '',
      lines: [],
    };

    expect(summariseOrder(order)).toBe(
      '{"tradeNo":"19101114451054062737","amount":"15.80","creditPay":true,"lines":0}',
    );
  });
});

describe('transcriptPathFor', () => {
  it('puts the transcript beside the scenario file', () => {
    expect(transcriptPathFor('scenarios/two-yoghurts.yaml')).toBe(
      'scenarios/two-yoghurts.transcript',
    );
    expect(transcriptPathFor('/abs/x.yml')).toBe('/abs/x.transcript');
    expect(transcriptPathFor('x.JSON')).toBe('x.transcript');
    expect(transcriptPathFor('dir.yaml/x')).toBe('dir.yaml/x.transcript');
  });
});

describe('compareTranscript', () => {
  const golden = 'a\nb\nc\nd\ne\nf\n';

  it('finds nothing to say about identical transcripts', () => {
    expect(compareTranscript(golden, golden, 'x.transcript')).toBeUndefined();
  });

  it('shows a difference as a unified diff from golden to this run', () => {
    expect(
      compareTranscript(golden, 'a\nb\nc\nD\ne\nf\n', 'x.transcript'),
    ).toBe(
      '--- x.transcript\tgolden\n' +
        '+++ x.transcript\tthis run\n' +
        '@@ -2,5 +2,5 @@\n' +
        ' b\n' +
        ' c\n' +
        '-d\n' +
        '+D\n' +
        ' e\n' +
        ' f\n',
    );
  });

  it('shows a missing final newline', () => {
    expect(compareTranscript('a\n', 'a', 'x.transcript')).toBe(
      '--- x.transcript\tgolden\n' +
        '+++ x.transcript\tthis run\n' +
        '@@ -1,1 +1,1 @@\n' +
        '-a\n' +
        '+a\n' +
        '\\ No newline at end of file\n',
    );
  });

  it('says so first when line endings are the only difference, marking each CR', () => {
    expect(compareTranscript('a\r\nb\r\n', 'a\nb\n', 'x.transcript')).toBe(
      'Only line endings differ: the golden file uses CRLF, this run LF (␍ marks a carriage return).\n' +
        '--- x.transcript\tgolden\n' +
        '+++ x.transcript\tthis run\n' +
        '@@ -1,2 +1,2 @@\n' +
        '-a␍\n' +
        '-b␍\n' +
        '+a\n' +
        '+b\n',
    );
  });

  it('marks a stray CR without claiming only line endings differ', () => {
    const diff = compareTranscript('a\r\nb\n', 'a\nB\n', 'x.transcript');

    expect(diff?.split('\n')[0]).toBe('--- x.transcript\tgolden');
    expect(diff).toContain('-a␍\n');
    expect(diff).not.toContain('\r');
  });
});
