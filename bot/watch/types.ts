// What the watcher needs from a live source beyond the plain Source contract: a checkpoint with
// each message (stored in the same transaction as the message) and access to what was seen.
import type { RawMessage } from '../model.ts';
import type { Source } from '../sources/types.ts';

export interface WatchedRaw extends RawMessage {
  /** The source's resume position once this message is stored (opaque to the watcher). */
  checkpoint?: string;
}

export type WatchSourceKind = 'imap' | 'maildir' | 'public-inbox';

export interface WatchSource extends Source {
  readonly kind: WatchSourceKind;
  /** Backlog since the stored checkpoint, then new mail until the signal aborts (or, with once, the end of the backlog). */
  messages(signal?: AbortSignal): AsyncIterable<WatchedRaw>;
}

/** What sources may read from the state: their checkpoint and which locators were handled. */
export interface SourceMemory {
  checkpoint(source: string): string | undefined;
  deliveryKnown(source: string, locator: string): boolean;
  /** Moves a checkpoint past input that yields no message (e.g. a commit without a message). */
  setCheckpoint(source: string, kind: string, checkpoint: string): void;
  recordError(scope: string, message: string): void;
}
