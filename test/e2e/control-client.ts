import { request as httpRequest, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export interface JsonAnswer {
  status: number;
  contentType: string | null;
  /** Whatever the server sent, parsed; tests compare it exactly. */
  body: any;
}

/** One control API call over real HTTP; the body is sent as JSON. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonAnswer> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** A shopper's socket whose frames are awaited one at a time. */
export class Shopper {
  readonly socket: WebSocket;
  readonly frames: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiting: Array<() => void> = [];

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      this.frames.push(String(data));
      for (const wake of this.#waiting.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) =>
        resolve({ code, reason: reason.toString() }),
      ),
    );
  }

  /** Resolves with frame number `index` (from 0) once it has arrived. */
  async frame(index: number): Promise<string> {
    while (this.frames.length <= index) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    return this.frames[index]!;
  }
}

export interface ServerSentEvent {
  id: string;
  event: string;
  data: unknown;
}

/** Reads server-sent events from a real HTTP connection. */
export class EventReader {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  response!: IncomingMessage;
  readonly #request;
  #buffer = '';
  #waiting: Array<() => void> = [];

  private constructor(url: string, opened: () => void) {
    this.#request = httpRequest(url, (response) => {
      this.response = response;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => this.#read(chunk));
      opened();
    });
    this.#request.end();
  }

  static open(url: string): Promise<EventReader> {
    return new Promise((resolve) => {
      const reader: EventReader = new EventReader(url, () => resolve(reader));
    });
  }

  /** Resolves once an event of `type` has arrived; returns it. */
  async next(type: string): Promise<ServerSentEvent> {
    for (;;) {
      const found = this.events.find((event) => event.event === type);

      if (found) return found;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  close(): void {
    this.#request.destroy();
  }

  #read(chunk: string): void {
    this.#buffer += chunk;

    let end: number;

    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end);
      const fields: Record<string, string> = {};

      this.#buffer = this.#buffer.slice(end + 2);
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');

        fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      if (fields.event !== undefined) {
        this.events.push({
          id: fields.id ?? '',
          event: fields.event,
          data: JSON.parse(fields.data ?? 'null'),
        });
      }
    }
    for (const wake of this.#waiting.splice(0)) wake();
  }
}
