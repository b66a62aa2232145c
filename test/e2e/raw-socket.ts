import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** A WebSocket frame as it came from the server. */
export interface RawFrame {
  opcode: number;
  payload: Buffer;
}

/** What the server answered to a request written byte for byte. */
export interface RawReply {
  /** The HTTP status; 0 when the connection closed without an answer. */
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** After a 101: the frames read, up to and including a close frame. */
  frames: RawFrame[];
  /** The socket, still open after a 101 that was not closed. */
  socket: Socket;
}

export const OPCODE = { text: 1, binary: 2, close: 8, ping: 9, pong: 10 };

/** A handshake request with every header a browser sends, as lines. */
export function upgradeRequest(
  target: string,
  headers: Record<string, string> = {},
): string {
  const all: Record<string, string> = {
    Host: 'cabinet.test',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  const lines = Object.entries(all)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`);

  return `GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Writes `request` on a new connection to `port` and reads the answer: the
 * whole body of an HTTP response, or after a 101 the first `frames` frames
 * (fewer if a close frame comes first); to `head`, the headers alone.
 * Resolves when the answer is complete or the server closes the connection.
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  { host = '127.0.0.1', frames: wanted = 1, head = false } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (reply: RawReply) => {
      if (settled) return;
      settled = true;
      resolve(reply);
    };

    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A server that cuts a bad request may reset the connection.
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);

      const reply = parseReply(received, socket);

      // The answer to HEAD has headers only, whatever Content-Length says.
      if (reply && (head || isComplete(reply, received, wanted))) finish(reply);
    });
    socket.on('close', () => {
      finish(
        parseReply(received, socket) ?? {
          status: 0,
          headers: {},
          body: '',
          frames: [],
          socket,
        },
      );
    });
    socket.write(request);
  });
}

function parseReply(received: Buffer, socket: Socket): RawReply | undefined {
  const end = received.indexOf('\r\n\r\n');

  if (end < 0) return undefined;

  const [statusLine = '', ...lines] = received
    .subarray(0, end)
    .toString('latin1')
    .split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};

  for (const line of lines) {
    const colon = line.indexOf(':');

    headers[line.slice(0, colon).trim().toLowerCase()] = line
      .slice(colon + 1)
      .trim();
  }

  const rest = received.subarray(end + 4);

  return status === 101
    ? { status, headers, body: '', frames: parseFrames(rest), socket }
    : { status, headers, body: rest.toString(), frames: [], socket };
}

function isComplete(reply: RawReply, received: Buffer, wanted: number) {
  if (reply.status === 101) {
    return (
      reply.frames.length >= wanted ||
      reply.frames.some((frame) => frame.opcode === OPCODE.close)
    );
  }

  const length = Number(reply.headers['content-length'] ?? Number.NaN);

  return (
    Number.isInteger(length) &&
    Buffer.byteLength(reply.body) >= length &&
    received.length > 0
  );
}

/** The complete frames at the start of `data`, as a server sends them. */
export function parseFrames(data: Buffer): RawFrame[] {
  const frames: RawFrame[] = [];
  let at = 0;

  while (data.length - at >= 2) {
    const opcode = data[at]! & 0x0f;
    let length = data[at + 1]! & 0x7f;
    let header = 2;

    if (length === 126) {
      if (data.length - at < 4) break;
      length = data.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (data.length - at < 10) break;
      length = Number(data.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (data.length - at < header + length) break;
    frames.push({
      opcode,
      payload: data.subarray(at + header, at + header + length),
    });
    at += header + length;
  }

  return frames;
}

/** The close code of a close frame's payload; 1005 when it has none. */
export function closeCodeOf(frame: RawFrame): number {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
}

export interface ClientFrameOptions {
  fin?: boolean;
  /** The three reserved bits, 0 to 7; a client may set none. */
  rsv?: number;
  /** Clients must mask every frame; false sends it bare. */
  masked?: boolean;
}

/** A frame as a client writes it: masked, final, no reserved bits. */
export function clientFrame(
  opcode: number,
  payload: Buffer,
  { fin = true, rsv = 0, masked = true }: ClientFrameOptions = {},
): Buffer {
  const length = payload.length;
  const lengthBytes =
    length < 126
      ? Buffer.from([length])
      : length < 65536
        ? Buffer.from([126, length >> 8, length & 0xff])
        : Buffer.concat([
            Buffer.from([127]),
            (() => {
              const eight = Buffer.alloc(8);

              eight.writeBigUInt64BE(BigInt(length));
              return eight;
            })(),
          ]);

  lengthBytes[0] = lengthBytes[0]! | (masked ? 0x80 : 0);

  const first = Buffer.from([(fin ? 0x80 : 0) | ((rsv & 7) << 4) | opcode]);

  if (!masked) return Buffer.concat([first, lengthBytes, payload]);

  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));

  return Buffer.concat([first, lengthBytes, mask, body]);
}

/**
 * Collects the frames that arrive on `socket` from now on, until a close
 * frame comes or the connection ends.
 */
export function framesUntilClose(socket: Socket): Promise<RawFrame[]> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const done = () => resolve(parseFrames(received));

    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (parseFrames(received).some(({ opcode }) => opcode === OPCODE.close))
        done();
    });
    socket.on('close', done);
  });
}
