// A progress bar on stderr for big inputs on a terminal: messages read and MB/s. Piped runs and
// small inputs get nothing, so stderr carries only errors there.
import { SingleBar } from 'cli-progress';

/** Inputs below this size finish before a bar would help. */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

export interface Progress {
  tick(bytes: number): void;
  /** Writes a line (an error) without garbling the bar; the bar redraws on the next tick. */
  log(line: string): void;
  stop(): void;
}

export function noProgress(stream: NodeJS.WritableStream): Progress {
  return { tick() {}, log: (line) => void stream.write(line), stop() {} };
}

export interface ProgressDecision {
  isTTY: boolean;
  /** Total input size in bytes; undefined when unknown (stdin, git). */
  totalBytes: number | undefined;
}

export function wantsProgress(d: ProgressDecision): boolean {
  return d.isTTY && d.totalBytes !== undefined && d.totalBytes >= PROGRESS_MIN_BYTES;
}

/**
 * A bar over `totalBytes` of input. When inputs are compressed the raw bytes read outrun the
 * file sizes, so the bar is left out and only counts and speed are shown.
 */
export function startProgress(stream: NodeJS.WritableStream, totalBytes: number, compressed: boolean): Progress {
  const counts = compressed ? '' : '{bar} {percentage}% | ';
  const bar = new SingleBar({
    stream,
    format: `deptbot ${counts}{messages} messages | {mb} MB | {rate} MB/s`,
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
  });
  const started = Date.now();
  let bytes = 0;
  let messages = 0;
  const values = (): Record<string, string | number> => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    return { messages, mb: (bytes / 1e6).toFixed(1), rate: (bytes / 1e6 / seconds).toFixed(1) };
  };
  bar.start(totalBytes, 0, values());
  return {
    tick(n) {
      bytes += n;
      messages++;
      bar.update(Math.min(bytes, totalBytes), values());
    },
    log(line) {
      stream.write(`\r\x1b[2K${line}`);
    },
    stop() {
      bar.stop();
    },
  };
}
