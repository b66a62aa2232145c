import { Child } from './child.js';
import type {
  FramesReport,
  LoadPlan,
  LoadReport,
  SentFrame,
  UsageReport,
} from './messages.js';
import { cpuMs, spreadOf, type Spread } from './stats.js';

/** One row of the table: a server under the same clients. */
export interface LiveResult {
  server: 'emulator' | 'floor' | 'peer';
  sessions: number;
  sessionsHeld: number;
  failedToOpen: number;
  timedOut: boolean;
  setupPerSecond: number;
  /** Sent minus scheduled, ms; null where the server cannot tell. */
  sentLateness: Spread | null;
  /** Received minus scheduled, ms. */
  receivedLateness: Spread | null;
  framesExpected: number;
  framesReceived: number;
  framesLost: number;
  framesPerSecond: number;
  meanFrameBytes: number;
  serverCpuMs: number;
  cpuMsPerFrame: number;
  peakRssMb: number;
  client: { cpuMs: number; peakRssMb: number };
  wallMs: number;
}

export interface LivePhase {
  server: LiveResult['server'];
  child: Child;
  port: number;
  sessions: number;
  framesPerSession: number;
  connectConcurrency: number;
  deadlineMs: number;
  /** For a server that reports no schedule: frame k is due k × this after the open. */
  intervalMs?: number;
  loadClientModule: string;
}

const REPLY_MS = 30_000;

/**
 * Points the load generator at a running server child, waits until every
 * session is over or the phase's deadline has passed, and works out the row.
 * Ends both children.
 */
export async function runLivePhase(phase: LivePhase): Promise<LiveResult> {
  const { child: server, sessions, framesPerSession } = phase;
  const client = new Child('load generator', phase.loadClientModule);

  try {
    const before = await server.ask<UsageReport>({ type: 'usage' }, REPLY_MS);
    const plan: LoadPlan = {
      type: 'start',
      baseUrl: `ws://127.0.0.1:${phase.port}/websocket/ssib/purchase?token=bench&appId=bench`,
      sessions,
      connectConcurrency: phase.connectConcurrency,
      deadlineMs: phase.deadlineMs,
      ...(phase.intervalMs ? { closeAfterFrames: framesPerSession } : {}),
    };

    client.send(plan);

    const load = await client.next<LoadReport>(
      'report',
      phase.deadlineMs + REPLY_MS,
    );
    const after = await server.ask<UsageReport>({ type: 'usage' }, REPLY_MS);
    const sent = phase.intervalMs
      ? null
      : (await server.ask<FramesReport>({ type: 'frames' }, REPLY_MS)).sessions;

    return rowOf(phase, load, sent, before, after);
  } finally {
    await client.stop();
    await server.stop();
  }
}

function rowOf(
  phase: LivePhase,
  load: LoadReport,
  sent: Array<SentFrame[] | null> | null,
  before: UsageReport,
  after: UsageReport,
): LiveResult {
  const sentLateness: number[] = [];
  const receivedLateness: number[] = [];
  let framesReceived = 0;
  let bytes = 0;
  let lastFrameAt = load.startedAt;

  load.sessions.forEach((session, index) => {
    const frames = sent?.[index] ?? [];

    framesReceived += session.received.length;
    bytes += session.bytes;
    for (const [scheduledAt, sentAt] of frames) {
      sentLateness.push(sentAt - scheduledAt);
    }
    session.received.forEach((receivedAt, k) => {
      lastFrameAt = Math.max(lastFrameAt, receivedAt);
      if (phase.intervalMs && session.openedAt !== null) {
        receivedLateness.push(
          receivedAt - (session.openedAt + (k + 1) * phase.intervalMs),
        );
      } else if (frames[k]) {
        receivedLateness.push(receivedAt - frames[k][0]);
      }
    });
  });

  const opened = load.sessions.filter((s) => s.openedAt !== null).length;
  const serverCpuMs = cpuMs(after.cpu) - cpuMs(before.cpu);
  const framesExpected = phase.sessions * phase.framesPerSession;

  return {
    server: phase.server,
    sessions: phase.sessions,
    sessionsHeld: load.maxOpen,
    failedToOpen: load.failedToOpen,
    timedOut: load.timedOut,
    setupPerSecond:
      opened / (Math.max(1, load.lastOpenedAt - load.startedAt) / 1000),
    sentLateness: sent ? spreadOf(sentLateness) : null,
    receivedLateness: spreadOf(receivedLateness),
    framesExpected,
    framesReceived,
    framesLost: Math.max(0, framesExpected - framesReceived),
    framesPerSecond:
      framesReceived / (Math.max(1, lastFrameAt - load.startedAt) / 1000),
    meanFrameBytes: framesReceived ? bytes / framesReceived : 0,
    serverCpuMs,
    cpuMsPerFrame: framesReceived ? serverCpuMs / framesReceived : NaN,
    peakRssMb: after.maxRssKb / 1024,
    client: { cpuMs: cpuMs(load.cpu), peakRssMb: load.maxRssKb / 1024 },
    wallMs: load.finishedAt - load.startedAt,
  };
}
