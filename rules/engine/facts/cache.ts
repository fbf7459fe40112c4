// One grouping per patch, shared by every rule; each function is parsed once, when a rule first
// reads it. The runner asks only for patches that mention some enabled rule's trigger (see
// ../triggers.ts), and a rule that declares `meta.reads` sees only the functions mentioning one of
// its words (../reads.ts): parsing is the expensive step of a review.
import type { Patch } from '../../../bot/model.ts';
import type { FunctionFacts } from '../types.ts';
import { functionSlots, isCFile } from './extract.ts';
import type { FunctionSlot } from './function-slots.ts';
import { loadCParser } from './parser.ts';

const cache = new WeakMap<Patch, Map<number, FunctionSlot[]>>();

function cachedSlots(patch: Patch, patchIndex: number): FunctionSlot[] {
  let byIndex = cache.get(patch);
  if (!byIndex) cache.set(patch, (byIndex = new Map()));
  let slots = byIndex.get(patchIndex);
  if (!slots) byIndex.set(patchIndex, (slots = functionSlots(patch, patchIndex)));
  return slots;
}

/**
 * Facts of the patch's functions that `accept` takes (all when omitted), in extractFacts' order,
 * extracted once per (patch object, index). loadCParser() must have completed.
 */
export function cachedFacts(patch: Patch, patchIndex: number, accept?: (fn: FunctionSlot) => boolean): FunctionFacts[] {
  const out: FunctionFacts[] = [];
  for (const slot of cachedSlots(patch, patchIndex)) {
    if (accept && !accept(slot)) continue;
    const fn = slot.facts();
    if (fn) out.push(fn);
  }
  return out;
}

/** Facts of a patch, loading the parser on first need; no parse at all for patches without C. */
export async function patchFacts(patch: Patch, patchIndex: number): Promise<FunctionFacts[]> {
  if (!patch.files.some(isCFile)) return [];
  await loadCParser();
  return cachedFacts(patch, patchIndex);
}
