// One parse per patch, shared by every rule. The runner asks only for patches that mention some
// enabled rule's trigger (see ../triggers.ts): parsing is the expensive step of a review.
import type { Patch } from '../../../bot/model.ts';
import type { FunctionFacts } from '../types.ts';
import { extractFacts, isCFile } from './extract.ts';
import { loadCParser } from './parser.ts';

const cache = new WeakMap<Patch, Map<number, FunctionFacts[]>>();

/** Facts of a patch, extracted once per (patch object, index). loadCParser() must have completed. */
export function cachedFacts(patch: Patch, patchIndex: number): FunctionFacts[] {
  let byIndex = cache.get(patch);
  if (!byIndex) cache.set(patch, (byIndex = new Map()));
  let facts = byIndex.get(patchIndex);
  if (!facts) byIndex.set(patchIndex, (facts = extractFacts(patch, patchIndex)));
  return facts;
}

/** Facts of a patch, loading the parser on first need; no parse at all for patches without C. */
export async function patchFacts(patch: Patch, patchIndex: number): Promise<FunctionFacts[]> {
  if (!patch.files.some(isCFile)) return [];
  await loadCParser();
  return cachedFacts(patch, patchIndex);
}
