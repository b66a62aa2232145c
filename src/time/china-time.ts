// China Standard Time is UTC+8 all year: China has kept no daylight saving
// time since 1991, so a fixed offset is exact and needs no time-zone database.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

interface ChinaDateParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function chinaDateParts(epochMs: number): ChinaDateParts {
  const shifted = new Date(epochMs + CHINA_OFFSET_MS);
  const pad = (value: number) => String(value).padStart(2, '0');

  return {
    year: String(shifted.getUTCFullYear()).padStart(4, '0'),
    month: pad(shifted.getUTCMonth() + 1),
    day: pad(shifted.getUTCDate()),
    hour: pad(shifted.getUTCHours()),
    minute: pad(shifted.getUTCMinutes()),
    second: pad(shifted.getUTCSeconds()),
  };
}

/** `yyyy-MM-dd HH:mm:ss` in China time, as the cloud writes `createTime`. */
export function formatChinaDateTime(epochMs: number): string {
  const p = chinaDateParts(epochMs);

  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `yyMMddHHmmss` in China time, the first twelve digits of a `tradeNo`. */
export function formatChinaCompactStamp(epochMs: number): string {
  const p = chinaDateParts(epochMs);

  return `${p.year.slice(-2)}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
}

/**
 * The epoch ms of `yyyy-MM-dd HH:mm:ss` read as China time, or undefined when
 * the text is not in that form or names no real moment (2019-02-30).
 *
 * @example parseChinaDateTime('2019-10-11 14:45:10') // 1570776310000
 */
export function parseChinaDateTime(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);

  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map(Number) as [number, number, number, number, number, number];
  const epochMs =
    Date.UTC(year, month - 1, day, hour, minute, second) - CHINA_OFFSET_MS;

  // Date.UTC rolls 2019-02-30 over to March 2nd: a round trip tells.
  return formatChinaDateTime(epochMs) === text ? epochMs : undefined;
}
