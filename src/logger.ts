import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.js';

/**
 * A pino logger writing to standard output: readable lines on a terminal,
 * JSON lines otherwise (when piped to a file or a log collector).
 */
export function createLogger(level: LogLevel): Logger {
  if (process.stdout.isTTY) {
    return pino(
      { level },
      pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
      }),
    );
  }

  return pino({ level });
}
