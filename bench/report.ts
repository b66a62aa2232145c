import type { LiveResult } from './live-phase.js';
import type { Spread } from './stats.js';
import type { VirtualTimeReport } from './virtual-time.js';

export interface Target {
  name: string;
  /** null: not checked in this run. */
  met: boolean | null;
  measured: string;
}

const HEADER = [
  'server',
  'sessions held',
  'set-up/s',
  'late sent p50/p99/max ms',
  'late recv p50/p99/max ms',
  'frames/s',
  'lost',
  'CPU ms/frame',
  'peak RSS MB',
];

/** The live rows as one plain-text table, Markdown-shaped for the README. */
export function liveTable(rows: readonly LiveResult[]): string {
  const lines = [
    HEADER,
    ...rows.map((row) => [
      row.server,
      `${row.sessionsHeld} / ${row.sessions}`,
      row.setupPerSecond.toFixed(0),
      spread(row.sentLateness),
      spread(row.receivedLateness),
      row.framesPerSecond.toFixed(0),
      `${row.framesLost}${row.timedOut ? ' (cut)' : ''}`,
      row.cpuMsPerFrame.toFixed(3),
      row.peakRssMb.toFixed(0),
    ]),
  ];
  const widths = HEADER.map((_, column) =>
    Math.max(...lines.map((line) => line[column]!.length)),
  );
  const format = (line: string[]) =>
    `| ${line.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;

  return [
    format(lines[0]!),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.slice(1).map(format),
  ].join('\n');
}

/** Emulator over another row, for the figures a noisy machine keeps. */
export function ratioLines(rows: readonly LiveResult[]): string[] {
  const emulator = rows.find((row) => row.server === 'emulator');

  if (!emulator) return [];

  return rows
    .filter((row) => row !== emulator)
    .map(
      (row) =>
        `emulator/${row.server}: CPU per frame ×${ratio(emulator.cpuMsPerFrame, row.cpuMsPerFrame)}, ` +
        `peak RSS ×${ratio(emulator.peakRssMb, row.peakRssMb)}, ` +
        `received p99 lateness ×${ratio(emulator.receivedLateness?.p99, row.receivedLateness?.p99)}, ` +
        `set-up rate ×${ratio(emulator.setupPerSecond, row.setupPerSecond)}`,
    );
}

export function virtualLines(reports: readonly VirtualTimeReport[]): string[] {
  return reports.map(
    (report) =>
      `${report.label}: ${runsPerSecond(report).toFixed(1)} runs/s, ` +
      `${(report.virtualMs / report.wallMs).toFixed(0)} virtual s per wall s ` +
      `(${report.runs} runs of ${report.scenarios} scenario file(s) in ` +
      `${(report.wallMs / 1000).toFixed(1)} s, ${report.failedRuns} failed, ` +
      `CPU ${(report.cpuMs / report.runs).toFixed(1)} ms per run)`,
  );
}

export function runsPerSecond(report: VirtualTimeReport): number {
  return report.runs / (report.wallMs / 1000);
}

export function targetsOf(
  rows: readonly LiveResult[],
  oneMinute: VirtualTimeReport | undefined,
): Target[] {
  const row = (server: LiveResult['server']) =>
    rows.find((result) => result.server === server);
  const emulator = row('emulator');
  const floor = row('floor');
  const peer = row('peer');
  const atTenThousand = emulator && emulator.sessions >= 10_000;
  const targets: Target[] = [];

  if (atTenThousand) {
    const p99 = emulator.receivedLateness?.p99 ?? Infinity;

    targets.push({
      name: '10,000 sessions held, received lateness p99 < 50 ms, no frame lost',
      met:
        emulator.sessionsHeld >= 10_000 &&
        p99 < 50 &&
        emulator.framesLost === 0,
      measured: `${emulator.sessionsHeld} held, p99 ${p99.toFixed(0)} ms, ${emulator.framesLost} lost`,
    });
  } else {
    targets.push({
      name: '10,000 sessions held, received lateness p99 < 50 ms, no frame lost',
      met: null,
      measured: 'not run (run with --sessions 10000)',
    });
  }

  if (emulator && floor) {
    const times = emulator.cpuMsPerFrame / floor.cpuMsPerFrame;

    targets.push({
      name: 'emulator CPU per frame within 1.5× of the floor',
      met: times <= 1.5,
      measured: `×${times.toFixed(2)} (${emulator.cpuMsPerFrame.toFixed(3)} vs ${floor.cpuMsPerFrame.toFixed(3)} ms)`,
    });
  }
  if (emulator && peer) {
    const times = emulator.cpuMsPerFrame / peer.cpuMsPerFrame;

    targets.push({
      name: 'emulator CPU per frame at least as good as the peer',
      met: times <= 1,
      measured: `×${times.toFixed(2)} (${emulator.cpuMsPerFrame.toFixed(3)} vs ${peer.cpuMsPerFrame.toFixed(3)} ms)`,
    });
  }

  // A peak taken while fewer sessions were open says nothing of 10,000.
  const heldAll = !!atTenThousand && emulator.sessionsHeld >= 10_000;

  targets.push({
    name: 'peak RSS under 600 MB at 10,000 sessions',
    met: atTenThousand ? heldAll && emulator.peakRssMb < 600 : null,
    measured: atTenThousand
      ? `${emulator.peakRssMb.toFixed(0)} MB` +
        (heldAll ? '' : ` with only ${emulator.sessionsHeld} held at once`)
      : 'not run (run with --sessions 10000)',
  });

  if (oneMinute) {
    const rate = runsPerSecond(oneMinute);

    targets.push({
      name: 'runner plays ≥ 500 one-minute scenarios per second',
      met: rate >= 500,
      measured: `${rate.toFixed(1)} per second`,
    });
  }

  return targets;
}

export function targetLines(targets: readonly Target[]): string[] {
  return targets.map(
    (target) =>
      `${target.met === null ? 'NOT RUN' : target.met ? 'MET' : 'MISSED'}  ${target.name}: ${target.measured}`,
  );
}

function spread(value: Spread | null): string {
  return value
    ? `${value.p50.toFixed(0)} / ${value.p99.toFixed(0)} / ${value.max.toFixed(0)}`
    : 'n/a';
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(2) : '–';
}
