import type { FastifyInstance } from 'fastify';
import type { ControlParts } from './control-api.js';

/**
 * A comment line this often keeps proxies and browsers from taking a quiet
 * stream for a dead one (many cut idle connections after 30 to 60 s).
 */
export const HEARTBEAT_MS = 15_000;

/**
 * A client that has let this much pile up unread is too far behind to
 * catch up; it is dropped rather than let the emulator's memory grow.
 */
export const MAX_UNSENT_BYTES = 1024 * 1024;

const EVENT_TYPES =
  'session-started, frame, door, weights, alarm, anomaly, order, session-ended, scenario-assigned';

/**
 * `GET /emulator/events`: server-sent events of everything the control API
 * shows, as it happens. Written by hand: the stream is a few lines of text
 * protocol, and what matters here (dropping a client that lags) is not
 * what SSE plugins offer.
 */
export function registerEventRoutes(
  api: FastifyInstance,
  { events }: ControlParts,
): void {
  api.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Everything, as server-sent events',
        description: `A text/event-stream of ${EVENT_TYPES}; each event's data is one JSON object. weights comes at most every 250 ms while a session runs, when a reading changed. A comment line every ${HEARTBEAT_MS / 1000} s keeps the stream alive. Events are not replayed: Last-Event-ID is ignored. A client that falls ${MAX_UNSENT_BYTES / 1024} KiB behind is disconnected.`,
        produces: ['text/event-stream'],
        response: {
          200: {
            description: 'The stream; it ends when the client goes.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    (request, reply) => {
      const raw = reply.raw;
      let eventId = 0;

      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        // Proxies such as nginx would otherwise hold events back.
        'x-accel-buffering': 'no',
      });
      // A HEAD request (a link checker, curl -I) gets the headers alone;
      // a stream that never ends would hold it open for ever.
      if (request.method === 'HEAD') {
        raw.end();
        return;
      }
      raw.write(': cabinet-emulator events\n\n');

      const write = (text: string) => {
        if (raw.writableLength > MAX_UNSENT_BYTES) {
          request.log.warn(
            { unsentBytes: raw.writableLength },
            'event stream client too far behind; dropped',
          );
          stop();
          raw.destroy();
          return;
        }
        raw.write(text);
      };
      const unsubscribe = events.subscribe(({ type, data }) => {
        write(
          `id: ${++eventId}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`,
        );
      });
      const heartbeat = setInterval(
        () => write(': heartbeat\n\n'),
        HEARTBEAT_MS,
      );
      const stop = () => {
        unsubscribe();
        clearInterval(heartbeat);
      };

      raw.on('close', stop);
    },
  );
}
