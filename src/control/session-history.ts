import type { CabinetFleet } from '../cabinet/cabinet-fleet.js';
import type {
  PurchaseSession,
  SessionEnd,
} from '../cabinet/purchase-session.js';
import type { Anomaly } from '../firmware/weight-firmware.js';
import type { Clock } from '../time/clock.js';
import type { ControlEvents } from './control-events.js';
import { toOrderRecord } from '../journal/order-record.js';
import { orderView } from './cabinet-state.js';

/**
 * How many sessions are remembered, running ones included; when another
 * starts, the one that ended longest ago goes.
 */
export const KEPT_SESSIONS = 100;

/**
 * How many frames of one session's transcript are kept. A purchase sends a
 * handful; a session driven by hand for an hour may send many more.
 */
export const MAX_TRANSCRIPT_FRAMES = 1000;

/** How often the live load-cell readings are looked at for the event stream. */
export const WEIGHTS_INTERVAL_MS = 250;

export interface TranscriptEntry {
  /** Session time, in milliseconds since the shopper connected. */
  atMs: number;
  direction: 'out';
  frame: string;
}

export interface AlarmRecord {
  atMs: number;
  openForMs: number;
}

export type AnomalyRecord = Pick<
  Anomaly,
  'aisleId' | 'kind' | 'grams' | 'atMs'
>;

/** One session as the control API shows it, while it runs and after. */
export interface SessionRecord {
  readonly session: PurchaseSession;
  readonly transcript: TranscriptEntry[];
  readonly alarms: AlarmRecord[];
  readonly anomalies: AnomalyRecord[];
  /** Epoch milliseconds; undefined while the session runs. */
  endedAt: number | undefined;
  end: SessionEnd | undefined;
}

/**
 * Watches every session the fleet opens: keeps the recent ones with what
 * their shopper was sent, their alarms and anomalies, and tells the event
 * stream what happens, the live load-cell readings included.
 */
export class SessionHistory {
  readonly #events: ControlEvents;
  readonly #clock: Clock;
  readonly #records = new Map<string, SessionRecord>();
  // Ids of kept sessions that have ended, oldest first: the ones to forget
  // first, found without looking through thousands of running ones.
  readonly #endedIds = new Set<string>();
  readonly #lastWeights = new Map<string, string>();
  #weightsTimer: NodeJS.Timeout | undefined;

  constructor(fleet: CabinetFleet, events: ControlEvents, clock: Clock) {
    this.#events = events;
    this.#clock = clock;
    fleet.onSessionOpened((session) => this.#watch(session));
  }

  /** The record of session `id`, if it is still kept. */
  find(id: string): SessionRecord | undefined {
    return this.#records.get(id);
  }

  /** Every kept session, newest first. */
  recent(): SessionRecord[] {
    return [...this.#records.values()].reverse();
  }

  /** Notes a frame that went out on the shopper's socket of `session`. */
  recordFrame(session: PurchaseSession, frame: string): void {
    const record = this.#records.get(session.id);
    const atMs = Math.round(session.elapsedMs);

    if (record && record.transcript.length < MAX_TRANSCRIPT_FRAMES) {
      record.transcript.push({ atMs, direction: 'out', frame });
    }
    this.#events.publish('frame', {
      sessionId: session.id,
      deviceNo: session.deviceNo,
      atMs,
      frame,
    });
  }

  /** Stops looking at load cells; sessions still running are not followed. */
  dispose(): void {
    clearInterval(this.#weightsTimer);
    this.#weightsTimer = undefined;
  }

  #watch(session: PurchaseSession): void {
    const record: SessionRecord = {
      session,
      transcript: [],
      alarms: [],
      anomalies: [],
      endedAt: undefined,
      end: undefined,
    };
    const { id, deviceNo } = session;

    this.#records.set(id, record);
    this.#forgetOldest();

    session.subscribe((event) => {
      const atMs = Math.round(session.elapsedMs);

      switch (event.kind) {
        case 'door-changed':
          this.#events.publish('door', {
            deviceNo,
            sessionId: id,
            state: event.state,
          });
          return;
        case 'alarm':
          record.alarms.push({ atMs, openForMs: event.openForMs });
          this.#events.publish('alarm', {
            deviceNo,
            sessionId: id,
            atMs,
            openForMs: event.openForMs,
          });
          return;
        case 'anomaly': {
          const { aisleId, kind, grams } = event.anomaly;
          const anomaly = { aisleId, kind, grams, atMs };

          record.anomalies.push(anomaly);
          this.#events.publish('anomaly', {
            deviceNo,
            sessionId: id,
            ...anomaly,
          });
          return;
        }
        case 'order-made':
          this.#events.publish(
            'order',
            orderView(toOrderRecord(event.order), undefined),
          );
          return;
        default:
          return;
      }
    });

    void session.ended.then((end) => {
      record.end = end;
      record.endedAt = this.#clock.now();
      this.#lastWeights.delete(id);
      if (this.#records.get(id) === record) this.#endedIds.add(id);
      this.#events.publish('session-ended', {
        id,
        deviceNo,
        end,
        endedAt: new Date(record.endedAt).toISOString(),
      });
    });

    this.#events.publish('session-started', {
      id,
      deviceNo,
      scenario: session.scenario.name,
      startedAt: new Date(session.startedAt).toISOString(),
    });
    this.#weightsTimer ??= setInterval(
      () => this.#publishWeights(),
      WEIGHTS_INTERVAL_MS,
    ).unref();
  }

  // Past the limit, the session that ended longest ago goes; running ones
  // stay however many there are.
  #forgetOldest(): void {
    for (const id of this.#endedIds) {
      if (this.#records.size <= KEPT_SESSIONS) return;
      this.#endedIds.delete(id);
      this.#records.delete(id);
    }
  }

  #publishWeights(): void {
    if (this.#records.size === this.#endedIds.size) {
      this.dispose();
      return;
    }
    if (this.#events.listenerCount === 0) return;

    for (const { session, end } of this.#records.values()) {
      if (end !== undefined) continue;

      const aisles = [...session.cabinet.aisles.keys()].map((aisleId) => ({
        aisleId,
        liveGrams: session.liveGrams(aisleId),
      }));
      const text = JSON.stringify(aisles);

      if (this.#lastWeights.get(session.id) === text) continue;
      this.#lastWeights.set(session.id, text);
      this.#events.publish('weights', {
        deviceNo: session.deviceNo,
        sessionId: session.id,
        aisles,
      });
    }
  }
}
