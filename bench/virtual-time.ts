// How fast `cabinet-emu run` plays scenarios in virtual time: the runner in
// this process, as the command line uses it, playing scenario files over
// and over for a fixed stretch of wall time.
import './server-probe.js';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { ScenarioRunner } from '../dist/runner/scenario-runner.js';
import { readScenarioFile } from '../dist/scenario/scenario-file.js';
import type { Scenario } from '../dist/scenario/scenario.js';

export interface VirtualTimeReport {
  type: 'virtual-time';
  label: string;
  scenarios: number;
  runs: number;
  failedRuns: number;
  wallMs: number;
  virtualMs: number;
  cpuMs: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    label: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
  },
});

const scenarios: Scenario[] = positionals.map(
  (file) => readScenarioFile(file).scenario,
);
const runner = await ScenarioRunner.start();
const wallCapMs = Number(values.seconds) * 1000;
const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
let runs = 0;
let failedRuns = 0;
let virtualMs = 0;
let next = 0;

// As `run --concurrency`: a few scenarios in flight at once; each worker
// takes the next scenario in turn until the time is up.
const worker = async () => {
  while (performance.now() - startedAt < wallCapMs) {
    const scenario = scenarios[next++ % scenarios.length]!;

    try {
      virtualMs += (await runner.play(scenario)).virtualMs;
      runs++;
    } catch {
      failedRuns++;
    }
  }
};

await Promise.all(
  Array.from({ length: Number(values.concurrency) }, () => worker()),
);

const wallMs = performance.now() - startedAt;
const cpu = process.cpuUsage(cpuBefore);
const report: VirtualTimeReport = {
  type: 'virtual-time',
  label: values.label ?? '',
  scenarios: scenarios.length,
  runs,
  failedRuns,
  wallMs,
  virtualMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
};

await runner.close();
process.send?.(report);
