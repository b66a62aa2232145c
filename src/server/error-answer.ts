import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Answers an error with the server's one error shape,
 * `{ statusCode, error, message }`, whichever route or part of fastify
 * raised it. A fault of the emulator's own is logged and answered 500
 * without its details.
 */
export function answerError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const statusCode =
    error.statusCode !== undefined &&
    error.statusCode >= 400 &&
    error.statusCode < 500
      ? error.statusCode
      : 500;

  if (statusCode === 500) {
    request.log.error({ err: error }, 'request failed');
  }

  return sendErrorAnswer(
    reply,
    statusCode,
    statusCode === 500 ? 'emulator fault; see its log' : messageOf(error),
  );
}

/** Answers `statusCode` in the server's one error shape. */
export function sendErrorAnswer(
  reply: FastifyReply,
  statusCode: number,
  message: string,
) {
  return reply.code(statusCode).send({
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
  });
}

// ajv says that a body has a field too many, not which: name it.
function messageOf(error: FastifyError): string {
  const unknown = error.validation
    ?.map((problem) => problem.params.additionalProperty)
    .filter((name) => typeof name === 'string');

  if (!unknown?.length) return error.message;
  return `${error.message}: ${unknown.map((name) => JSON.stringify(name)).join(', ')}`;
}
