// One grouping per patch, shared by every rule; each function is parsed once, when a rule first
// reads it. The runner asks only for patches that mention some enabled rule's trigger (see
// ../triggers.ts), and a rule that declares `meta.reads` sees only the functions mentioning one of
// its words (../reads.ts): parsing is the expensive step of a review. A file that mentions none of
// a reader's words is not even grouped into functions for it.
import type { FileChange, Patch } from '../../../bot/model.ts';
import type { FunctionFacts } from '../types.ts';
import { fileFunctionSlots, isCFile } from './extract.ts';
import type { FunctionSlot } from './function-slots.ts';
import { loadCParser } from './parser.ts';

/** Something with a text to look for words in, built once (a function, or a whole file's hunks). */
export interface Readable {
  text(): string;
}

/** Which functions a reader takes. */
export interface FunctionFilter {
  fn(slot: FunctionSlot): boolean;
  /** False only when no function of the file can pass `fn`: a function's text is part of its file's. */
  file(file: Readable): boolean;
}

interface FileEntry {
  readable: Readable;
  slots(): FunctionSlot[];
}

const cache = new WeakMap<Patch, Map<number, FileEntry[]>>();

function cachedFiles(patch: Patch, patchIndex: number): FileEntry[] {
  let byIndex = cache.get(patch);
  if (!byIndex) cache.set(patch, (byIndex = new Map()));
  let files = byIndex.get(patchIndex);
  if (!files) byIndex.set(patchIndex, (files = patch.files.filter(isCFile).map((f) => fileEntry(f, patchIndex))));
  return files;
}

function fileEntry(file: FileChange, patchIndex: number): FileEntry {
  let slots: FunctionSlot[] | undefined;
  return { readable: readableFile(file), slots: () => (slots ??= fileFunctionSlots(file, patchIndex)) };
}

/** The hunk headers and lines of a file: every text any of its functions can have. */
function readableFile(file: FileChange): Readable {
  let text: string | undefined;
  return {
    text: () => (text ??= file.hunks.map((h) => `${h.section}\n${h.lines.map((l) => l.text).join('\n')}`).join('\n')),
  };
}

/**
 * Facts of the patch's functions that `filter` takes (all without one), in extractFacts' order,
 * extracted once per (patch object, index). loadCParser() must have completed.
 */
export function cachedFacts(patch: Patch, patchIndex: number, filter?: FunctionFilter): FunctionFacts[] {
  const out: FunctionFacts[] = [];
  for (const file of cachedFiles(patch, patchIndex)) {
    if (filter && !filter.file(file.readable)) continue;
    for (const slot of file.slots()) {
      if (filter && !filter.fn(slot)) continue;
      const fn = slot.facts();
      if (fn) out.push(fn);
    }
  }
  return out;
}

/** Facts of a patch, loading the parser on first need; no parse at all for patches without C. */
export async function patchFacts(patch: Patch, patchIndex: number): Promise<FunctionFacts[]> {
  if (!patch.files.some(isCFile)) return [];
  await loadCParser();
  return cachedFacts(patch, patchIndex);
}
