import type { WebSocket } from 'ws';
import type { PurchaseSession } from '../cabinet/purchase-session.js';
import type { CabinetAds } from '../catalogue/cabinet.js';
import { adFrame, type FrameStyle } from '../protocol/frames.js';
import { encodeEvent, isFrameEvent } from './session-frames.js';

export interface ScreenHubOptions {
  /**
   * How frames are written for screens. The vendor's screen client prefixes
   * `thumbImage` with the image base address it fetched itself, so pictures
   * must be paths here whatever the shoppers get.
   */
  style: FrameStyle;
  /** The ads of the cabinet at `deviceNo`; none when it has none. */
  adsFor: (deviceNo: string) => CabinetAds | undefined;
}

/**
 * The cabinet screens watching each device. Every frame a purchase sends its
 * shopper is written once for the screens and the same text goes to each of
 * them; screens never start a purchase and never count as shoppers.
 */
export class ScreenHub {
  readonly #options: ScreenHubOptions;
  readonly #screens = new Map<string, Set<WebSocket>>();

  constructor(options: ScreenHubOptions) {
    this.#options = options;
  }

  /** Adds a screen of `deviceNo` and shows it the cabinet's ads. */
  add(deviceNo: string, socket: WebSocket): void {
    let watching = this.#screens.get(deviceNo);

    if (!watching) {
      watching = new Set();
      this.#screens.set(deviceNo, watching);
    }
    watching.add(socket);
    socket.once('close', () => {
      watching.delete(socket);
      if (watching.size === 0 && this.#screens.get(deviceNo) === watching)
        this.#screens.delete(deviceNo);
    });

    const ads = this.#options.adsFor(deviceNo);

    if (ads) send(socket, adFrame(ads));
  }

  /** How many screens watch `deviceNo` now. */
  watching(deviceNo: string): number {
    return this.#screens.get(deviceNo)?.size ?? 0;
  }

  /**
   * Shows `session`'s frames on the screens of its device as they are made,
   * and the cabinet's ads again once the purchase is over.
   */
  watch(session: PurchaseSession): void {
    const { deviceNo } = session;

    session.subscribe((event) => {
      if (isFrameEvent(event))
        this.#broadcast(deviceNo, () =>
          encodeEvent(event, this.#options.style),
        );
    });
    void session.ended.then(() => {
      const ads = session.cabinet.ads;

      if (ads) this.#broadcast(deviceNo, () => adFrame(ads));
    });
  }

  // The frame is written only when someone watches, and then only once.
  #broadcast(deviceNo: string, write: () => string): void {
    const watching = this.#screens.get(deviceNo);

    if (!watching) return;

    const text = write();

    for (const socket of watching) send(socket, text);
  }
}

function send(socket: WebSocket, text: string): void {
  if (socket.readyState === socket.OPEN) socket.send(text);
}
