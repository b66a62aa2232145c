import type { IncomingHttpHeaders } from 'node:http';
import pino from 'pino';
import WebSocket from 'ws';
import { startEmulator, type StartEmulatorOptions } from '../../src/index.js';

/** Everything one client saw of one connection, in order. */
export interface Conversation {
  frames: string[];
  /** Whether each frame arrived as a text frame. */
  allText: boolean;
  closeCode: number;
  closeReason: string;
  upgradeHeaders: IncomingHttpHeaders;
}

export interface ConverseOptions {
  protocols?: string[];
  headers?: Record<string, string>;
  /** Called with the socket and each frame as it arrives. */
  onFrame?: (socket: WebSocket, frame: string, index: number) => void;
}

/** Connects to `url` and collects frames until the server closes. */
export function converse(
  url: string,
  options: ConverseOptions = {},
): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], {
      headers: options.headers,
    });
    const frames: string[] = [];
    let allText = true;
    let upgradeHeaders: IncomingHttpHeaders = {};

    socket.on('upgrade', (response) => {
      upgradeHeaders = response.headers;
    });
    socket.on('message', (data, isBinary) => {
      allText &&= !isBinary;
      const frame = data.toString();

      frames.push(frame);
      options.onFrame?.(socket, frame, frames.length - 1);
    });
    socket.on('close', (closeCode, reason) => {
      resolve({
        frames,
        allText,
        closeCode,
        closeReason: reason.toString(),
        upgradeHeaders,
      });
    });
    socket.on('error', reject);
  });
}

/** Resolves with the socket once its first frame (the door) has arrived. */
export function connectUntilFirstFrame(
  url: string,
): Promise<{ socket: WebSocket; first: string; rest: Promise<Conversation> }> {
  return new Promise((resolve, reject) => {
    const rest = converse(url, {
      onFrame: (socket, frame, index) => {
        if (index === 0) resolve({ socket, first: frame, rest });
      },
    });

    rest.catch(reject);
  });
}

/** Starts an emulator on a free loopback port, quiet and fast. */
export function startQuietEmulator(options: StartEmulatorOptions = {}) {
  return startEmulator({
    port: 0,
    host: '127.0.0.1',
    speed: 20,
    logger: pino({ level: 'silent' }),
    ...options,
  });
}

/**
 * Replaces the two time-dependent fields of a final frame with placeholders,
 * after checking their form, so the rest can be compared byte for byte.
 */
export function maskOrderFields(frame: string): string {
  return frame
    .replace(/"tradeNo":"\d{20}"/, '"tradeNo":"<tradeNo>"')
    .replace(
      /"createTime":"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"/,
      '"createTime":"<createTime>"',
    );
}
