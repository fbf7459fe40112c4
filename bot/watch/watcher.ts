// The watch loop: every source feeds one serial queue (one message or one review at a time, so
// state transactions never interleave); a timer reviews series whose quiet period ended. On abort
// (SIGTERM) sources stop reading, the step in progress finishes and its state is committed.
import { oneLine } from '../errors.ts';
import type { Logger } from './log.ts';
import type { WatchProcessor } from './processor.ts';
import { sleep } from './sleep.ts';
import type { SourceMemory, WatchSource } from './types.ts';

export interface WatchLoopOptions {
  sources: readonly WatchSource[];
  processor: WatchProcessor;
  memory: SourceMemory;
  log: Logger;
  /** Process what is there, review what is due, and return. */
  once: boolean;
  signal: AbortSignal;
  /** Longest sleep between two due-checks, in ms (the quiet timer wakes earlier when needed). */
  tickMs?: number;
}

/** One step at a time, in arrival order; a failed step does not stop the next. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const next = this.tail.then(step);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export async function runWatchLoop(opts: WatchLoopOptions): Promise<void> {
  const { processor, log, signal } = opts;
  const queue = new SerialQueue();
  // Reviews owed from before a crash or restart go first.
  await queue.run(() => processor.reviewDue(signal));

  const stopTimer = new AbortController();
  const timer = opts.once ? Promise.resolve() : quietTimer(opts, queue, AbortSignal.any([signal, stopTimer.signal]));
  await Promise.all(opts.sources.map((s) => pump(s, opts, queue)));
  if (opts.once && !signal.aborted) await queue.run(() => processor.reviewDue(signal));
  stopTimer.abort();
  await timer;
  await queue.run(async () => undefined);
  log.info({ ...processor.counts }, 'watch stopped');
}

async function pump(source: WatchSource, opts: WatchLoopOptions, queue: SerialQueue): Promise<void> {
  try {
    for await (const raw of source.messages(opts.signal)) {
      await queue.run(() => opts.processor.ingest(raw, source.kind));
    }
  } catch (err) {
    if (opts.signal.aborted) return;
    const message = oneLine(err);
    opts.log.error({ source: source.name, err: message }, 'source failed');
    opts.memory.recordError(source.name, message);
  }
}

async function quietTimer(opts: WatchLoopOptions, queue: SerialQueue, signal: AbortSignal): Promise<void> {
  const tick = opts.tickMs ?? 60_000;
  while (!signal.aborted) {
    const deadline = opts.processor.nextQuietDeadline();
    const wait = deadline === undefined ? tick : Math.min(tick, Math.max(0, deadline - Date.now()) + 5);
    await sleep(wait, signal);
    if (signal.aborted) return;
    await queue.run(() => opts.processor.reviewDue(opts.signal)).catch((err: unknown) => {
      opts.log.error({ err: oneLine(err) }, 'due-check failed');
    });
  }
}
