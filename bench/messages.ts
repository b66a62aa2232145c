// What the bench's processes say to each other over their IPC channels. Every
// message is an object with a `type`; replies carry the same type.

/** Sent by every server child when asked for `usage`. */
export interface UsageReport {
  type: 'usage';
  cpu: NodeJS.CpuUsage;
  /** Peak resident set size, in kilobytes (`resourceUsage().maxRSS`). */
  maxRssKb: number;
}

/** One frame as a server meant and managed to send it, in wall-clock ms. */
export type SentFrame = [scheduledAt: number, sentAt: number];

/** A server child's frames per session, by the index in its `deviceNo`. */
export interface FramesReport {
  type: 'frames';
  sessions: Array<SentFrame[] | null>;
}

export interface ReadyMessage {
  type: 'ready';
  port: number;
}

/** What the load generator is asked to do. */
export interface LoadPlan {
  type: 'start';
  /** Purchase address without `deviceNo`; the client appends its own. */
  baseUrl: string;
  sessions: number;
  /** Handshakes in flight at once. */
  connectConcurrency: number;
  /** Close from the client side after this many frames (the peer never closes). */
  closeAfterFrames?: number;
  /** Give up on whatever is still open this long after starting. */
  deadlineMs: number;
}

/** One session as the load generator saw it. */
export interface ClientSession {
  openedAt: number | null;
  /** Wall-clock ms at which each frame arrived, in order. */
  received: number[];
  bytes: number;
  closeCode: number | null;
}

export interface LoadReport {
  type: 'report';
  startedAt: number;
  lastOpenedAt: number;
  finishedAt: number;
  maxOpen: number;
  failedToOpen: number;
  /** Whether the deadline cut the run short. */
  timedOut: boolean;
  cpu: NodeJS.CpuUsage;
  maxRssKb: number;
  sessions: ClientSession[];
}

/** The `deviceNo` of the load generator's session `index`. */
export function benchDevice(index: number): string {
  return `bench-${index}`;
}

/** The session index in a bench `deviceNo`, or -1 for another device. */
export function benchIndex(deviceNo: string): number {
  const match = /^bench-(\d+)$/.exec(deviceNo);

  return match ? Number(match[1]) : -1;
}
