import pino, { type Logger } from 'pino';

/** A log line as pino writes it. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** A pino logger that keeps its lines in `lines`, parsed, for tests to read. */
export function capturingLogger(level = 'info'): {
  logger: Logger;
  lines: LogLine[];
} {
  const lines: LogLine[] = [];
  const logger = pino(
    { level },
    { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  );

  return { logger, lines };
}
