import type { Order } from '../cabinet/order.js';

/**
 * One line of a transcript: what one connection saw, or what the cabinet did,
 * at a virtual time counted from the moment the shopper connected.
 *
 * @example { atMs: 812, connection: 'shopper', event: 'frame', text: '{"msg":"","success":true,"type":"door"}' }
 */
export interface TranscriptEntry {
  atMs: number;
  /**
   * `'shopper'` for the scenario's shopper, `'shopper 2'`, `'shopper 3'` for
   * the connections of `another-shopper` steps, `'cabinet'` for what the
   * cabinet did (orders, alarms, weight changes it could not explain).
   */
  connection: string;
  event:
    'connect' | 'frame' | 'close' | 'order' | 'alarm' | 'anomaly' | 'fault';
  /**
   * connect: the device connected to; frame: the exact text; close:
   * `${code} ${reason}`; order, alarm, anomaly, fault: a JSON summary.
   */
  text: string;
}

/** Everything one connection received, at virtual times since connecting. */
export interface ConnectionRecord {
  frames: { atMs: number; text: string }[];
  /** How the connection ended; undefined while it was still open. */
  close?: { atMs: number; code: number; reason: string };
}

/** What the runner observed while playing one scenario. */
export interface ScenarioOutcome {
  shopper: ConnectionRecord;
  /** One record per `another-shopper` step, in step order. */
  otherShoppers: ConnectionRecord[];
  /** The order the cloud made, or null when it made none. */
  order: Order | null;
  /**
   * What the models that threw said. A fault ends the purchase with the
   * reasonless failure, which a scenario cannot mean to test, so the run
   * fails.
   */
  faults: string[];
  transcript: TranscriptEntry[];
  /** How much virtual time the scenario took. */
  virtualMs: number;
}

/** The verdict on one scenario, as the reporters show it. */
export interface ScenarioResult {
  name: string;
  file: string;
  passed: boolean;
  /** Wall-clock milliseconds spent playing and checking. */
  durationMs: number;
  virtualMs: number;
  /** Each broken expectation, as one readable sentence. */
  failures: string[];
  /** A unified diff against the golden transcript, when it differs. */
  transcriptDiff?: string;
  /** Where `--record` wrote the golden transcript, when it did. */
  recorded?: string;
  /** Set when the scenario could not be played at all (invalid file, crash). */
  error?: string;
}
