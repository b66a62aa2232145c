import { fork, type ChildProcess } from 'node:child_process';

/**
 * One process of the bench, spoken to over its IPC channel. Every wait has a
 * deadline, and `stop()` ends the process whatever state it is in, so a
 * phase that hangs costs its cap and no more.
 */
export class Child {
  readonly name: string;
  readonly #process: ChildProcess;
  readonly #waiting = new Map<string, (message: unknown) => void>();
  #exit: string | undefined;

  constructor(
    name: string,
    module: string,
    args: readonly string[] = [],
    execArgv: readonly string[] = [],
  ) {
    this.name = name;
    this.#process = fork(module, args, {
      execArgv: [...execArgv],
      // A server's own output (log lines) would drown the table; its
      // errors still show.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.#process.on('message', (message: { type?: string }) => {
      const resolve = this.#waiting.get(message?.type ?? '');

      this.#waiting.delete(message?.type ?? '');
      resolve?.(message);
    });
    this.#process.on('exit', (code, signal) => {
      this.#exit = signal ?? `exit code ${code}`;
      for (const resolve of this.#waiting.values()) resolve(undefined);
      this.#waiting.clear();
    });
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  send(message: object): void {
    this.#process.send(message);
  }

  /** The next message of `type`; rejects after `timeoutMs` or on exit. */
  next<T>(type: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.#exit) {
        reject(new Error(`${this.name} has ended (${this.#exit})`));
        return;
      }

      const timer = setTimeout(() => {
        this.#waiting.delete(type);
        reject(new Error(`${this.name}: no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);

      this.#waiting.set(type, (message) => {
        clearTimeout(timer);
        if (message === undefined) {
          reject(
            new Error(`${this.name} ended (${this.#exit}) before ${type}`),
          );
        } else {
          resolve(message as T);
        }
      });
    });
  }

  /** Sends `message` and waits for the reply of the same type. */
  ask<T>(message: { type: string }, timeoutMs: number): Promise<T> {
    const reply = this.next<T>(message.type, timeoutMs);

    this.send(message);

    return reply;
  }

  /**
   * Asks the process to exit (so that `--cpu-prof` writes its profile) and
   * kills it if it has not within `graceMs`.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.#exit) return;

    const exited = new Promise((resolve) =>
      this.#process.once('exit', resolve),
    );

    if (this.#process.connected) this.#process.send({ type: 'exit' });

    const timer = setTimeout(() => this.#process.kill('SIGKILL'), graceMs);

    await exited;
    clearTimeout(timer);
  }
}
