/** The kinds of event `GET /emulator/events` streams. */
export type ControlEventType =
  | 'session-started'
  | 'frame'
  | 'door'
  | 'weights'
  | 'alarm'
  | 'anomaly'
  | 'order'
  | 'session-ended'
  | 'scenario-assigned';

export interface ControlEvent {
  type: ControlEventType;
  /** A JSON-ready object, sent as the event's data. */
  data: object;
}

/**
 * What happens in the emulator, for whoever watches: the event stream's
 * clients. Publishing with nobody listening costs nothing.
 */
export class ControlEvents {
  readonly #listeners = new Set<(event: ControlEvent) => void>();

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Calls `listener` with every event from now on; returns an unsubscribe. */
  subscribe(listener: (event: ControlEvent) => void): () => void {
    this.#listeners.add(listener);

    return () => this.#listeners.delete(listener);
  }

  publish(type: ControlEventType, data: object): void {
    for (const listener of this.#listeners) listener({ type, data });
  }
}
