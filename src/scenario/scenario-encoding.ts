import { ScenarioFileError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a scenario file's bytes, which must be UTF-8, with or without
 * a byte-order mark. Anything else is refused with a `ScenarioFileError` at
 * the first byte that is not UTF-8, rather than read as replacement
 * characters: a GBK file from a Chinese Windows editor would otherwise
 * expect frames with `"msg":"����ʧ��"`.
 *
 * @example decodeScenarioBytes(readFileSync(file), file)
 */
export function decodeScenarioBytes(bytes: Uint8Array, file: string): string {
  const refuse = (line: number, column: number, message: string): never => {
    throw new ScenarioFileError([{ file, line, column, path: '', message }]);
  };

  // UTF-16 of ASCII text is valid UTF-8 with a NUL beside every letter; say
  // what it is instead of reading it so.
  if (isUtf16(bytes)) refuse(1, 1, 'file is UTF-16; save it as UTF-8');
  try {
    return utf8.decode(bytes);
  } catch {
    const offset = firstInvalidSequence(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;

    for (let index = 0; index < lineStart; index++) {
      if (bytes[index] === 0x0a) line++;
    }
    // Counted as the rest of the file is: in UTF-16 units, from 1.
    const column = utf8.decode(bytes.subarray(lineStart, offset)).length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase();

    return refuse(
      line,
      column,
      `file is not UTF-8 (found byte 0x${byte.padStart(2, '0')}, as GBK or another legacy encoding writes); save it as UTF-8`,
    );
  }
}

function isUtf16(bytes: Uint8Array): boolean {
  const [first, second] = bytes;

  if (
    (first === 0xff && second === 0xfe) ||
    (first === 0xfe && second === 0xff)
  )
    return true;
  const newline = bytes.indexOf(0x0a);
  const firstLine = bytes.subarray(0, newline === -1 ? bytes.length : newline);

  return firstLine.includes(0);
}

// Where the first byte sequence that is not UTF-8 starts, by the table of
// well-formed sequences in the Unicode Standard (3.9, table 3-7): the lead
// byte fixes the length and the range of the byte after it.
function firstInvalidSequence(bytes: Uint8Array): number {
  let index = 0;

  while (index < bytes.length) {
    const lead = bytes[index]!;

    if (lead < 0x80) {
      index++;
      continue;
    }
    const form = SEQUENCES.find(({ from, to }) => lead >= from && lead <= to);

    if (!form) return index;
    for (let next = 1; next < form.length; next++) {
      const byte = bytes[index + next];
      const [low, high] = next === 1 ? form.second : [0x80, 0xbf];

      if (byte === undefined || byte < low || byte > high) return index;
    }
    index += form.length;
  }

  return bytes.length;
}

const SEQUENCES: readonly {
  from: number;
  to: number;
  length: number;
  second: readonly [number, number];
}[] = [
  { from: 0xc2, to: 0xdf, length: 2, second: [0x80, 0xbf] },
  { from: 0xe0, to: 0xe0, length: 3, second: [0xa0, 0xbf] },
  { from: 0xe1, to: 0xec, length: 3, second: [0x80, 0xbf] },
  { from: 0xed, to: 0xed, length: 3, second: [0x80, 0x9f] },
  { from: 0xee, to: 0xef, length: 3, second: [0x80, 0xbf] },
  { from: 0xf0, to: 0xf0, length: 4, second: [0x90, 0xbf] },
  { from: 0xf1, to: 0xf3, length: 4, second: [0x80, 0xbf] },
  { from: 0xf4, to: 0xf4, length: 4, second: [0x80, 0x8f] },
];
