import type { SessionEvent } from '../cabinet/purchase-session.js';
import {
  doorFrame,
  emptyFinalFrame,
  failureFrame,
  finalFrame,
  updateFrame,
  type FrameStyle,
} from '../protocol/frames.js';

/** The session events the cloud pushes to the phone as frames. */
export type FrameEvent = Extract<
  SessionEvent,
  {
    kind:
      | 'door-opened'
      | 'basket-changed'
      | 'order-made'
      | 'nothing-bought'
      | 'failed';
  }
>;

const FRAME_KINDS: ReadonlySet<SessionEvent['kind']> = new Set([
  'door-opened',
  'basket-changed',
  'order-made',
  'nothing-bought',
  'failed',
]);

export function isFrameEvent(event: SessionEvent): event is FrameEvent {
  return FRAME_KINDS.has(event.kind);
}

/** The frame the cloud sends for `event`, written in `style`. */
export function encodeEvent(event: FrameEvent, style: FrameStyle): string {
  switch (event.kind) {
    case 'door-opened':
      return doorFrame(style);
    case 'basket-changed':
      return updateFrame(event.basket, style);
    case 'order-made':
      return finalFrame(event.order, style);
    case 'nothing-bought':
      return emptyFinalFrame();
    case 'failed':
      return failureFrame(event.message, style);
  }
}

/** Whether `event`'s frame is the purchase's last. */
export function isFinal(event: FrameEvent): boolean {
  return (
    event.kind === 'order-made' ||
    event.kind === 'nothing-bought' ||
    event.kind === 'failed'
  );
}
