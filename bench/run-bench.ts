// `npm run bench`: the emulator, a floor server and a peer under the same
// purchases over loopback, each in its own process, then the scenario
// runner's virtual-time speed; one table, a JSON file and the targets.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ScenarioRunner } from '../dist/runner/scenario-runner.js';
import { readScenarioFile } from '../dist/scenario/scenario-file.js';
import { Child } from './child.js';
import { runLivePhase, type LiveResult } from './live-phase.js';
import type { ReadyMessage } from './messages.js';
import { summariseProfile, type ProfileSummary } from './profile-summary.js';
import {
  liveTable,
  ratioLines,
  targetLines,
  targetsOf,
  virtualLines,
} from './report.js';
import type { VirtualTimeReport } from './virtual-time.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = join(ROOT, 'dist-bench');
const RESULTS = join(ROOT, 'bench', 'results');
const LIVE_SCENARIO = join(ROOT, 'bench', 'scenarios', 'live-purchase.yaml');
const ONE_MINUTE_SCENARIO = join(ROOT, 'bench', 'scenarios', 'one-minute.yaml');
const MOCKOON_ENVIRONMENT = join(ROOT, 'bench', 'mockoon-environment.json');
const MOCKOON_BIN = join(
  ROOT,
  'node_modules',
  '@mockoon',
  'cli',
  'bin',
  'run.js',
);
const PHASES = ['emulator', 'floor', 'peer', 'virtual'] as const;

// Sockets besides the sessions' own: the listener, IPC, stdio, the loader.
const SPARE_FDS = 256;
const START_MS = 60_000;

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    seed: { type: 'string', default: 'bench' },
    speed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '64' },
    'virtual-seconds': { type: 'string', default: '10' },
    phases: { type: 'string', default: PHASES.join(',') },
    profile: { type: 'boolean', default: false },
  },
});

const sessions = Number(values.sessions);
const speed = Number(values.speed);
const phases = new Set(values.phases.split(','));

if (!Number.isInteger(sessions) || sessions < 1) {
  fail(`--sessions: expected a whole number from 1, got ${values.sessions}`);
}
for (const phase of phases) {
  if (!(PHASES as readonly string[]).includes(phase)) {
    fail(`--phases: expected some of ${PHASES.join(', ')}, got ${phase}`);
  }
}
checkFileLimit(sessions);
mkdirSync(RESULTS, { recursive: true });

// The frames one bench purchase sends and when, played once in virtual
// time: the floor sends these bytes at these moments, and the expected
// count of every row is this many per session.
const runner = await ScenarioRunner.start();
const schedule = (await runner.play(readScenarioFile(LIVE_SCENARIO).scenario))
  .shopper.frames;

await runner.close();

const framesPerSession = schedule.length;
const purchaseMs = schedule.at(-1)!.atMs / speed;
// Connecting thousands takes seconds, and a server that cannot keep up plays
// its sessions slower than written: room for both, then the phase is cut.
const deadlineMs = START_MS + sessions * 5 + purchaseMs * 3;
const live: LiveResult[] = [];
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  kernel: release(),
  date: new Date().toISOString(),
};
const phase = {
  sessions,
  framesPerSession,
  connectConcurrency: Number(values.concurrency),
  deadlineMs,
  loadClientModule: join(BUILT, 'load-client.js'),
};

console.log(
  `bench: ${sessions} sessions of ${framesPerSession} frames over ` +
    `${(purchaseMs / 1000).toFixed(1)} s (speed ${speed}, seed ${values.seed}), ` +
    `${phase.connectConcurrency} handshakes in flight; each phase capped at ` +
    `${(deadlineMs / 1000).toFixed(0)} s`,
);
console.log(
  `machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`,
);

let profile: ProfileSummary | undefined;

if (phases.has('emulator')) {
  const profileDir = join(RESULTS, 'profile');
  const child = new Child(
    'emulator',
    join(BUILT, 'emulator-server.js'),
    [
      '--scenario',
      LIVE_SCENARIO,
      '--seed',
      values.seed,
      '--speed',
      String(speed),
      // The load generator is one address: serve's defaults (10 000 in
      // all, 100 from one address) would refuse most of its sessions.
      '--max-connections',
      String(sessions + 100),
    ],
    values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  const { port } = await child.next<ReadyMessage>('ready', START_MS);

  live.push(await runLivePhase({ ...phase, server: 'emulator', child, port }));
  report(live.at(-1)!);
  if (values.profile) profile = summariseNewest(profileDir);
}

if (phases.has('floor')) {
  const child = new Child('floor', join(BUILT, 'floor-server.js'));

  child.send({
    type: 'schedule',
    frames: schedule.map(({ atMs, text }) => ({ atMs: atMs / speed, text })),
  });

  const { port } = await child.next<ReadyMessage>('ready', START_MS);

  live.push(await runLivePhase({ ...phase, server: 'floor', child, port }));
  report(live.at(-1)!);
}

if (phases.has('peer')) {
  const port = await freePort();
  const environment = peerEnvironment();
  const child = new Child(
    'peer',
    MOCKOON_BIN,
    ['start', '--data', environment.file, '--port', String(port)]
      .concat(['--hostname', '127.0.0.1', '--disable-log-to-file'])
      .concat(['--disable-admin-api']),
    ['--import', pathToFileURL(join(BUILT, 'server-probe.js')).href],
  );

  await waitForPort(port, START_MS);
  live.push(
    await runLivePhase({
      ...phase,
      server: 'peer',
      child,
      port,
      intervalMs: environment.intervalMs,
    }),
  );
  report(live.at(-1)!);
}

const virtual: VirtualTimeReport[] = [];

if (phases.has('virtual')) {
  const shipped = readdirSync(join(ROOT, 'scenarios'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(ROOT, 'scenarios', name));

  virtual.push(await playVirtual('shipped scenarios', shipped));
  virtual.push(await playVirtual('one-minute scenario', [ONE_MINUTE_SCENARIO]));
}

const targets = targetsOf(
  live,
  virtual.find((report) => report.label === 'one-minute scenario'),
);
const command = ['npm run bench', ...(process.argv.length > 2 ? ['--'] : [])]
  .concat(process.argv.slice(2))
  .join(' ');

console.log('');
if (live.length > 0) console.log(liveTable(live));
for (const line of ratioLines(live)) console.log(line);
for (const line of virtualLines(virtual)) console.log(line);
console.log('');
for (const line of targetLines(targets)) console.log(line);
if (profile) printProfile(profile);

writeFileSync(
  join(RESULTS, 'latest.json'),
  `${JSON.stringify(
    {
      command,
      machine,
      options: { ...values, sessions, speed, framesPerSession, purchaseMs },
      live,
      virtual,
      targets,
      profile,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nfigures written to ${join('bench', 'results', 'latest.json')}`);

function report(row: LiveResult): void {
  console.log(
    `${row.server}: ${row.sessionsHeld} held, ${row.framesReceived}/` +
      `${row.framesExpected} frames in ${(row.wallMs / 1000).toFixed(1)} s` +
      `${row.timedOut ? ' (cut at the deadline)' : ''}`,
  );
}

async function playVirtual(
  label: string,
  files: string[],
): Promise<VirtualTimeReport> {
  const seconds = Number(values['virtual-seconds']);
  const child = new Child('scenario runner', join(BUILT, 'virtual-time.js'), [
    '--label',
    label,
    '--seconds',
    String(seconds),
    ...files,
  ]);

  try {
    return await child.next<VirtualTimeReport>(
      'virtual-time',
      START_MS + seconds * 1000 * 2,
    );
  } finally {
    await child.stop();
  }
}

// Mockoon streams at a fixed interval; at another speed than 1 the copy
// played has its interval scaled as the emulator's timeline is.
function peerEnvironment(): { file: string; intervalMs: number } {
  const environment = JSON.parse(readFileSync(MOCKOON_ENVIRONMENT, 'utf8'));
  const route = environment.routes[0];

  if (speed === 1) {
    return { file: MOCKOON_ENVIRONMENT, intervalMs: route.streamingInterval };
  }

  const file = join(RESULTS, 'mockoon-environment.json');

  route.streamingInterval = Math.round(route.streamingInterval / speed);
  writeFileSync(file, JSON.stringify(environment));

  return { file, intervalMs: route.streamingInterval };
}

function summariseNewest(dir: string): ProfileSummary | undefined {
  const newest = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];

  return newest ? summariseProfile(newest) : undefined;
}

function printProfile(summary: ProfileSummary): void {
  console.log(
    `\nemulator profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled; top self time:`,
  );
  for (const line of summary.functions) {
    console.log(
      `  ${(line.share * 100).toFixed(1).padStart(5)} %  ${line.selfMs.toFixed(0).padStart(7)} ms  ${line.name}`,
    );
  }
  console.log('inclusive (the function anywhere on the stack):');
  for (const line of summary.inclusive) {
    console.log(
      `  ${(line.share * 100).toFixed(1).padStart(5)} %  ${line.selfMs.toFixed(0).padStart(7)} ms  ${line.name}`,
    );
  }
  console.log('by file:');
  for (const line of summary.files) {
    console.log(
      `  ${(line.share * 100).toFixed(1).padStart(5)} %  ${line.selfMs.toFixed(0).padStart(7)} ms  ${line.name}`,
    );
  }
}

// Each process holds one descriptor per session; Node cannot raise its own
// limit, so `npm run bench` raises the soft limit to the hard one first.
function checkFileLimit(needed: number): void {
  const [soft, hard] = execFileSync('sh', ['-c', 'ulimit -n; ulimit -Hn'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .map((line) => (line === 'unlimited' ? Infinity : Number(line)));

  if (soft! >= needed + SPARE_FDS) return;
  fail(
    `the open-file limit is ${soft} (hard limit ${hard}); ${needed} sessions ` +
      `need about ${needed + SPARE_FDS} descriptors in each of the server and ` +
      `the load generator. ` +
      (hard! >= needed + SPARE_FDS
        ? 'Run through `npm run bench`, which raises the soft limit, or `ulimit -n` first.'
        : 'The hard limit is too low too: raise it (as root, `ulimit -Hn`, or in /etc/security/limits.conf) or run fewer sessions.'),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();

    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();

      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;

  while (Date.now() < until) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');

      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });

    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fail(`the peer did not listen on port ${port} within ${timeoutMs} ms`);
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}
