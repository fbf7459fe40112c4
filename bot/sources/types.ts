import type { RawMessage } from '../model.ts';

/** Anything that yields raw messages: files, mbox, Maildir, IMAP, public-inbox git, GitHub. */
export interface Source {
  /** Human-readable name used in logs, errors and state, e.g. "mbox:/tmp/x.mbox". */
  readonly name: string;
  messages(signal?: AbortSignal): AsyncIterable<RawMessage>;
}
