// The floor: the same frames at the same moments from the least a Node
// server can do on the same stack (node:http and ws), with no cabinet
// behind it. Each connection gets the precomputed bytes of one bench
// purchase on one timer chain, then the same close. What the emulator costs
// beyond this is the cabinet model's.
import './server-probe.js';
import { createServer } from 'node:http';
import process from 'node:process';
import { WebSocketServer } from 'ws';
import {
  benchIndex,
  type FramesReport,
  type ReadyMessage,
  type SentFrame,
} from './messages.js';

export interface FloorSchedule {
  type: 'schedule';
  /** Each frame's text and its moment, in ms from the connection. */
  frames: Array<{ atMs: number; text: string }>;
}

const sessions: Array<SentFrame[] | null> = [];
let schedule: Array<{ atMs: number; data: Buffer }> = [];

const http = createServer();
const wss = new WebSocketServer({ server: http });

wss.on('connection', (socket, request) => {
  const query = new URLSearchParams(request.url?.split('?')[1] ?? '');
  const index = benchIndex(query.get('deviceNo') ?? '');
  const start = Date.now();
  const frames: SentFrame[] = [];
  let next = 0;

  if (index >= 0) sessions[index] = frames;

  const sendNext = () => {
    const frame = schedule[next++]!;

    socket.send(frame.data, { binary: false });
    frames.push([start + frame.atMs, Date.now()]);
    if (next === schedule.length) {
      socket.close(1000, 'purchase finished');
      return;
    }
    timer = setTimeout(sendNext, start + schedule[next]!.atMs - Date.now());
  };
  let timer = setTimeout(sendNext, schedule[0]!.atMs);

  socket.on('close', () => clearTimeout(timer));
});

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'schedule') {
    schedule = (message as FloorSchedule).frames.map(({ atMs, text }) => ({
      atMs,
      data: Buffer.from(text),
    }));
  }
  if (message?.type === 'frames') {
    const report: FramesReport = { type: 'frames', sessions };

    process.send?.(report);
    sessions.length = 0;
  }
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  const ready: ReadyMessage = {
    type: 'ready',
    port: typeof address === 'object' && address ? address.port : 0,
  };

  process.send?.(ready);
});
