// The load generator: opens one purchase per device, as phones would, keeps
// every socket until the server closes it (or, for a server that never
// closes, until the expected frames are in), and notes when each frame
// arrives. It runs in its own process so that its CPU is not the server's.
import process from 'node:process';
import WebSocket from 'ws';
import {
  benchDevice,
  type ClientSession,
  type LoadPlan,
  type LoadReport,
} from './messages.js';

// A handshake not answered by then counts as a connection that failed.
const HANDSHAKE_TIMEOUT_MS = 30_000;

process.on('disconnect', () => process.exit(0));

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'start') void run(message as LoadPlan);
  if (message?.type === 'exit') process.exit(0);
});

async function run(plan: LoadPlan): Promise<void> {
  const sessions: ClientSession[] = [];
  const sockets = new Set<WebSocket>();
  const startedAt = Date.now();
  let lastOpenedAt = startedAt;
  let open = 0;
  let maxOpen = 0;
  let failedToOpen = 0;
  let nextIndex = 0;
  let finished = 0;
  let timedOut = false;
  let done!: () => void;
  const allDone = new Promise<void>((resolve) => {
    done = resolve;
  });

  const connect = (index: number): Promise<void> =>
    new Promise((opened) => {
      const session: ClientSession = {
        openedAt: null,
        received: [],
        bytes: 0,
        closeCode: null,
      };
      const url = `${plan.baseUrl}&deviceNo=${benchDevice(index)}`;
      const socket = new WebSocket(url, {
        perMessageDeflate: false,
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      });

      sessions[index] = session;
      sockets.add(socket);
      socket.on('open', () => {
        session.openedAt = lastOpenedAt = Date.now();
        maxOpen = Math.max(maxOpen, ++open);
        opened();
      });
      socket.on('message', (data: Buffer) => {
        session.received.push(Date.now());
        session.bytes += data.length;
        if (session.received.length === plan.closeAfterFrames) socket.close();
      });
      socket.on('error', () => {
        // The close that follows settles the session; the error itself is
        // counted by its missing open or missing frames.
      });
      socket.on('close', (code) => {
        session.closeCode = code;
        sockets.delete(socket);
        if (session.openedAt === null) {
          failedToOpen++;
          opened();
        } else {
          open--;
        }
        if (++finished === plan.sessions) done();
      });
    });

  // A few handshakes in flight at once, as many phones scanning at once
  // would be, without queueing thousands in the server's accept backlog.
  const opener = async () => {
    while (nextIndex < plan.sessions && !timedOut) await connect(nextIndex++);
  };
  const deadline = setTimeout(() => {
    timedOut = true;
    done();
  }, plan.deadlineMs);

  for (let i = 0; i < plan.connectConcurrency; i++) void opener();
  await allDone;
  clearTimeout(deadline);

  const finishedAt = Date.now();

  for (const socket of sockets) socket.terminate();

  const report: LoadReport = {
    type: 'report',
    startedAt,
    lastOpenedAt,
    finishedAt,
    maxOpen,
    failedToOpen,
    timedOut,
    cpu: process.cpuUsage(),
    maxRssKb: process.resourceUsage().maxRSS,
    // Devices the deadline left unopened count as sessions that never were.
    sessions: Array.from(
      { length: plan.sessions },
      (_, index) =>
        sessions[index] ?? {
          openedAt: null,
          received: [],
          bytes: 0,
          closeCode: null,
        },
    ),
  };

  process.send?.(report);
}
