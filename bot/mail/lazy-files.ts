// A patch's `files`, parsed from its message body on first read. Most patches of a run are
// reviewed in a worker thread, which gets the diff as text (see bot/series-wire.ts); parsing every
// diff into hunk objects up front was most of series assembly's time on a list archive, for nothing.
import type { FileChange, Patch } from '../model.ts';
import { parseUnifiedDiff, type DiffSizeBounds } from './diff.ts';

/** Where a patch's diff sits in `message.body`: character offsets, end exclusive. */
export interface DiffSpan {
  start: number;
  end: number;
}

interface Source {
  body: string;
  span: DiffSpan;
  bounds?: DiffSizeBounds;
}

/** Patches whose files are, or will be, parsed from exactly this span of this body. */
const sources = new WeakMap<Patch, Source>();

/**
 * Gives `patch` a `files` property that parses `body.slice(span)` when first read and then holds
 * the result as a plain value. Assigning `files` replaces it (and forgets the span). `bounds`, when
 * given, are diffSizeBounds of the span, for size checks that need not parse.
 */
export function withLazyFiles(fields: Omit<Patch, 'files'>, span: DiffSpan, bounds?: DiffSizeBounds): Patch {
  const patch = fields as Patch;
  const body = fields.message.body;
  const settle = (files: FileChange[]): FileChange[] => {
    Object.defineProperty(patch, 'files', { value: files, writable: true, enumerable: true, configurable: true });
    return files;
  };
  Object.defineProperty(patch, 'files', {
    enumerable: true,
    configurable: true,
    get: () => settle(parseQuietly(body.slice(span.start, span.end))),
    set: (files: FileChange[]) => {
      sources.delete(patch);
      settle(files);
    },
  });
  sources.set(patch, bounds ? { body, span, bounds } : { body, span });
  return patch;
}

/** The span a patch's files come from, when they come from its body (not for hand-built patches). */
export function diffSpanOf(patch: Patch): DiffSpan | undefined {
  return sources.get(patch)?.span;
}

/** Upper bounds on a patch's files, hunks and lines while its files are not parsed yet. */
export function unparsedBounds(patch: Patch): DiffSizeBounds | undefined {
  const bounds = sources.get(patch)?.bounds;
  if (!bounds || Object.getOwnPropertyDescriptor(patch, 'files')?.get === undefined) return undefined;
  return bounds;
}

/**
 * A read of `files` must not throw where a plain property would not. parseUnifiedDiff is not known
 * to throw (test/fuzz/diff.test.ts); should it, the patch reads as having no files.
 */
function parseQuietly(text: string): FileChange[] {
  try {
    return parseUnifiedDiff(text);
  } catch {
    return [];
  }
}
