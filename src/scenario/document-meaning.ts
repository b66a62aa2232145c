import { parseChinaDateTime } from '../time/china-time.js';
import { scenarioLengthProblem } from './plan-scenario.js';
import { durationMs } from './scenario-document.js';
import type { SchemaProblem } from './schema-problems.js';

type Path = (string | number)[];

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const CHINA_TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DURATION_PATTERN = /^\d+(?:\.\d+)?(?:ms|s|min)$/;

// A tradeNo starts with the year's last two digits (yyMMddHHmmss), so the
// emulator can stamp the years of one century only.
const EARLIEST_START = '2000-01-01 00:00:00';
const LATEST_START = '2099-12-31 23:59:59';

// RFC 6455 leaves 123 bytes for a close frame's reason.
const MAX_CLOSE_REASON_BYTES = 123;

/**
 * What the schema cannot say about a scenario document, and no cabinet is
 * needed to know: a time that does not exist, a window that closes before
 * it opens, a close code that cannot be sent, a timeline too long to run.
 * It reads `value` as it is, schema problems and all, so that a file's
 * problems are all reported at once; a part of the wrong shape is left to
 * the schema's messages.
 */
export function checkMeaning(
  value: unknown,
  fileName: string,
): SchemaProblem[] {
  const root = asRecord(value) ?? {};
  const problems: SchemaProblem[] = [];
  const report = (path: Path, message: string, atKey = false) =>
    problems.push({ path, atKey, message });

  if (root.name === undefined && !NAME_PATTERN.test(fileName)) {
    report(
      [],
      `the file name "${fileName}" is not a scenario name (lower-case letters, digits and hyphens); rename the file or give a name field`,
    );
  }
  checkStartTime(root.startTime, report);
  checkDuration(root.settle, ['settle'], report);

  const timeline = Array.isArray(root.timeline) ? root.timeline : [];
  let lastsMs = 0;

  timeline.forEach((entry: unknown, index) => {
    const [name = '', argument] = onlyEntry(entry) ?? [];
    const path = ['timeline', index, name];

    if (name === 'wait' || name === 'delay-next-frame') {
      lastsMs += checkDuration(argument, path, report) ?? 0;
    }
    if (name === 'close-connection')
      checkClose(asRecord(argument), path, report);
  });

  const tooLong = scenarioLengthProblem(lastsMs);

  if (tooLong !== undefined) report(['timeline'], tooLong, true);

  const expect = asRecord(root.expect);
  const others = expect?.otherShoppers;

  checkFrames(expect?.frames, ['expect', 'frames'], report);
  if (Array.isArray(others)) {
    const shoppers = timeline.filter(
      (step) => step === 'another-shopper',
    ).length;

    others.forEach((shopper: unknown, index) =>
      checkFrames(
        asRecord(shopper)?.frames,
        ['expect', 'otherShoppers', index, 'frames'],
        report,
      ),
    );
    if (others.length !== shoppers) {
      report(
        ['expect', 'otherShoppers'],
        `expected ${shoppers} ${shoppers === 1 ? 'entry' : 'entries'}, one per another-shopper step, found ${others.length}`,
      );
    }
  }

  return problems;
}

type Report = (path: Path, message: string, atKey?: boolean) => void;

function checkStartTime(startTime: unknown, report: Report): void {
  if (typeof startTime !== 'string' || !CHINA_TIME_PATTERN.test(startTime))
    return;
  if (parseChinaDateTime(startTime) === undefined) {
    report(
      ['startTime'],
      `expected a date and time that exists, found "${startTime}"`,
    );
  } else if (startTime < EARLIEST_START || startTime > LATEST_START) {
    // The pattern fixes every width, so text order is time order.
    report(
      ['startTime'],
      `expected a time from ${EARLIEST_START} to ${LATEST_START}, found "${startTime}"; a tradeNo starts with the year's last two digits, so the emulator stamps no other years`,
    );
  }
}

// The milliseconds of a duration as the schema allows it, or undefined.
function checkDuration(
  duration: unknown,
  path: Path,
  report: Report,
): number | undefined {
  if (typeof duration === 'number' && Number.isFinite(duration)) {
    if (duration < 0) return undefined;
    // The runner's clock counts whole milliseconds.
    if (!Number.isInteger(duration)) {
      report(
        path,
        `a number is milliseconds and must be whole; write ${duration}s for seconds`,
      );
    }
    return duration;
  }
  if (typeof duration === 'string' && DURATION_PATTERN.test(duration))
    return durationMs(duration);
  return undefined;
}

function checkClose(
  fields: Record<string, unknown> | undefined,
  path: Path,
  report: Report,
): void {
  const reason = fields?.reason;

  // Which codes may be sent is the schema's to say: it lists them.
  if (
    typeof reason === 'string' &&
    Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES
  ) {
    report(
      [...path, 'reason'],
      `expected at most ${MAX_CLOSE_REASON_BYTES} bytes of UTF-8, found ${Buffer.byteLength(reason)}`,
    );
  }
}

function checkFrames(frames: unknown, path: Path, report: Report): void {
  if (!Array.isArray(frames)) return;
  frames.forEach((frame: unknown, index) => {
    const [type, value] = onlyEntry(frame) ?? [];
    const fields = asRecord(value);

    if (type === undefined || fields === undefined) return;
    const at = (field: string): Path => [...path, index, type, field];
    const afterMs = checkDuration(fields.after, at('after'), report);
    const beforeMs = checkDuration(fields.before, at('before'), report);

    if (afterMs !== undefined && beforeMs !== undefined && afterMs > beforeMs) {
      report(
        at('before'),
        `expected a time no earlier than after (${String(fields.after)}), found ${String(fields.before)}; no frame can arrive after ${String(fields.after)} and before ${String(fields.before)}`,
      );
    }

    const { createTime } = fields;

    if (
      typeof createTime === 'string' &&
      CHINA_TIME_PATTERN.test(createTime) &&
      parseChinaDateTime(createTime) === undefined
    ) {
      report(
        at('createTime'),
        `expected a date and time that exists, found "${createTime}"`,
      );
    }
  });
}

// The one key of a map entry and its value; undefined for anything else.
function onlyEntry(entry: unknown): [string, unknown] | undefined {
  const record = asRecord(entry);
  const entries = record === undefined ? [] : Object.entries(record);

  return entries.length === 1 ? entries[0] : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
