import type { Order } from '../cabinet/order.js';

/**
 * One line of a transcript: what one connection saw, at a virtual time since
 * the shopper connected.
 */
export interface TranscriptEntry {
  atMs: number;
  /**
   * `shopper` for the scenario's shopper, `shopper 2`, `shopper 3` for the
   * connections of `another-shopper` steps, `cabinet` for what the cabinet
   * did (orders).
   */
  connection: string;
  event: 'connect' | 'frame' | 'close' | 'order';
  /**
   * frame: the exact text; close: `${code} ${reason}`; order: a JSON summary;
   * connect: the device connected to.
   */
  text: string;
}

export interface ConnectionRecord {
  frames: { atMs: number; text: string }[];
  close?: { atMs: number; code: number; reason: string };
}

/** What the runner observed while playing one scenario. */
export interface ScenarioOutcome {
  shopper: ConnectionRecord;
  otherShoppers: ConnectionRecord[];
  /** The order the cloud made, or null. */
  order: Order | null;
  transcript: TranscriptEntry[];
  virtualMs: number;
}

export interface ScenarioResult {
  name: string;
  file: string;
  passed: boolean;
  /** Wall-clock milliseconds spent. */
  durationMs: number;
  virtualMs: number;
  /** Each broken expectation, as one readable sentence. */
  failures: string[];
  /** Unified diff against the golden transcript, when it differs. */
  transcriptDiff?: string;
  /** Set when the scenario could not be played at all (invalid file, crash). */
  error?: string;
}
