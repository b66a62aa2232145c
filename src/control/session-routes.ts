import { quoteInput } from '../errors.js';
import type { FastifyInstance } from 'fastify';
import { sessionSummary, sessionView } from './cabinet-state.js';
import { sendError, type ControlParts } from './control-api.js';
import {
  errorSchema,
  sessionSchema,
  sessionSummarySchema,
} from './control-schemas.js';
import { KEPT_SESSIONS } from './session-history.js';

/** `GET /emulator/sessions` and `GET /emulator/sessions/{id}`. */
export function registerSessionRoutes(
  api: FastifyInstance,
  { history }: ControlParts,
): void {
  api.get(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Recent sessions, newest first',
        description: `The last ${KEPT_SESSIONS} sessions, running ones included (endedAt and end null).`,
        response: {
          200: {
            type: 'object',
            properties: {
              sessions: { type: 'array', items: sessionSummarySchema },
            },
            required: ['sessions'],
          },
        },
      },
    },
    async () => ({ sessions: history.recent().map(sessionSummary) }),
  );

  api.get<{ Params: { id: string } }>(
    '/sessions/:id',
    {
      schema: {
        tags: ['sessions'],
        summary: 'One session with everything its shopper was sent',
        description:
          "transcript: every frame sent on the shopper's socket, exactly as sent, at its session time (ms since the shopper connected; at --speed 20 a second of session time passes in 50 ms).",
        params: {
          type: 'object',
          properties: { id: { type: 'string' } },
          required: ['id'],
        },
        response: { 200: sessionSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const record = history.find(request.params.id);

      if (!record) {
        return sendError(
          reply,
          404,
          `no session ${quoteInput(request.params.id)} is kept; GET /emulator/sessions lists those that are`,
        );
      }
      return sessionView(record);
    },
  );
}
