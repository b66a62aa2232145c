import { quoteInput } from '../errors.js';
import type { FastifyInstance } from 'fastify';
import { sendError, type ControlParts } from './control-api.js';
import { errorSchema, tokenSchema } from './control-schemas.js';
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_TOKEN_TTL_SECONDS,
} from './token-book.js';

/** `POST /emulator/tokens` and `DELETE /emulator/tokens/{token}`. */
export function registerTokenRoutes(
  api: FastifyInstance,
  { tokens }: ControlParts,
): void {
  api.post<{ Body: { ttlSeconds?: number } | null | undefined }>(
    '/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Mint a login token',
        description: `A token for the purchase URL's token parameter, as the vendor's login would give the mini program. With --strict-tokens the purchase socket accepts only these, until they expire or are revoked. ttlSeconds: 1 to ${MAX_TOKEN_TTL_SECONDS}, default ${DEFAULT_TOKEN_TTL_SECONDS}.`,
        // No body at all is the same as {}.
        body: {
          type: ['object', 'null'],
          properties: {
            ttlSeconds: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_TOKEN_TTL_SECONDS,
            },
          },
          additionalProperties: false,
        },
        response: { 201: tokenSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      const { token, expiresAt } = tokens.mint(request.body?.ttlSeconds);

      return reply
        .code(201)
        .send({ token, expiresAt: new Date(expiresAt).toISOString() });
    },
  );

  api.delete<{ Params: { token: string } }>(
    '/tokens/:token',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token',
        description:
          'Purchases already started with it go on; new ones are refused under --strict-tokens. 404 when the token was not minted here or has expired.',
        params: {
          type: 'object',
          properties: { token: { type: 'string' } },
          required: ['token'],
        },
        response: { 204: { type: 'null' }, 404: errorSchema },
      },
    },
    async (request, reply) => {
      if (!tokens.revoke(request.params.token)) {
        return sendError(
          reply,
          404,
          `no live token ${quoteInput(request.params.token)}`,
        );
      }
      return reply.code(204).send();
    },
  );
}
