// Patch -> FunctionFacts[]: per C file and image, split each hunk into regions and join the parts
// of one function across hunks (function-slots.ts); each region is parsed once, when read.
import type { FileChange, Patch } from '../../../bot/model.ts';
import type { FunctionFacts } from '../types.ts';
import { fileSlots } from './function-slots.ts';
import type { FunctionSlot } from './function-slots.ts';
import type { ImageLines } from './image.ts';
import { parseC } from './parser.ts';
import { RegionFactsCache, regionKey } from './region-cache.ts';
import type { RegionResult } from './region-cache.ts';
import { regionSource } from './region-source.ts';
import type { RegionSource } from './region-source.ts';
import { knowsPrefix, knowsSuffix, regionName } from './regions.ts';
import type { Region } from './regions.ts';
import { parseSignature, returnTypeFromHeader } from './signature.ts';
import { RegionWalker } from './walk.ts';
import type { RowMap } from './walk.ts';

const C_FILE = /\.[ch]$/;

/** True for files whose hunks are parsed as C. */
export function isCFile(f: FileChange): boolean {
  return !f.binary && C_FILE.test(f.path) && f.hunks.length > 0;
}

/** Facts of every C file of a patch: post-image functions first, then pre-image ones, per file. */
export function extractFacts(patch: Patch, patchIndex: number): FunctionFacts[] {
  const out: FunctionFacts[] = [];
  for (const slot of functionSlots(patch, patchIndex)) {
    const fn = slot.facts();
    if (fn) out.push(fn);
  }
  return out;
}

/** The functions of every C file of a patch, in extractFacts' order, each parsed on first need. */
export function functionSlots(patch: Patch, patchIndex: number): FunctionSlot[] {
  return patch.files.filter(isCFile).flatMap((file) => fileFunctionSlots(file, patchIndex));
}

/** The functions of one C file: post-image ones first, then pre-image ones. */
export function fileFunctionSlots(file: FileChange, patchIndex: number): FunctionSlot[] {
  const out: FunctionSlot[] = [];
  if (file.status !== 'deleted') out.push(...fileSlots(file, 'new', { patch: patchIndex, file: file.path, image: 'new' }, regionFacts));
  // A pre-image without deleted lines is context only, which the post-image already shows.
  if (file.status !== 'added') out.push(...fileSlots(file, 'old', { patch: patchIndex, file: file.path, image: 'old' }, regionFacts, (h) => h.lines.some((l) => l.type === 'del')));
  return out;
}

function regionFacts(img: ImageLines, reg: Region, section: string, where: Pick<FunctionFacts, 'patch' | 'file' | 'image'>): FunctionFacts {
  const src = regionSource(img.text, reg);
  const { facts, locals } = walkRegion(img, reg, src);
  const name = regionName(reg, section);
  const fn: FunctionFacts = { name, ...where, prefixKnown: knowsPrefix(reg), suffixKnown: knowsSuffix(reg), facts, locals };
  if (reg.kind === 'function' && reg.head !== undefined) {
    // parseSignature's name is regionName's: functionNameOf(head).
    const sig = parseSignature(reg.head);
    if (sig.params) fn.params = sig.params;
    if (sig.returnType !== undefined) fn.returnType = sig.returnType;
  } else if (name !== null) {
    const returnType = returnTypeFromHeader(section, name);
    if (returnType !== undefined) fn.returnType = returnType;
  }
  return fn;
}

const regionCache = new RegionFactsCache();

/** Parses and walks a region, or takes its facts from the cache when the same code was seen. */
function walkRegion(img: ImageLines, reg: Region, src: RegionSource): RegionResult {
  const first = img.line[reg.start] ?? 0;
  // Shifting cached facts is only right when the region's lines are consecutive, as in any hunk.
  const consecutive = (img.line[reg.start + src.realRows - 1] ?? 0) - first === src.realRows - 1;
  const key = consecutive ? regionKey(src.text, src.wrapped, img.changed, reg.start, src.realRows) : undefined;
  const hit = key === undefined ? undefined : regionCache.get(key, first);
  if (hit) return hit;
  const walker = new RegionWalker(rowMap(img, reg.start, src.realRows), src.wrapped ? 1 : 0, src.wrapped);
  const tree = parseC(src.text);
  try {
    walker.run(tree.rootNode);
  } finally {
    tree.delete();
  }
  const result = { facts: walker.facts, locals: walker.locals };
  if (key !== undefined) regionCache.set(key, first, result);
  return result;
}

function rowMap(img: ImageLines, start: number, realRows: number): RowMap {
  // Prefix sums of changed rows answer "is any row of this node changed" in O(1).
  const sums = new Int32Array(realRows + 1);
  for (let i = 0; i < realRows; i++) sums[i + 1] = (sums[i] ?? 0) + (img.changed[start + i] ? 1 : 0);
  const clamp = (r: number): number => Math.min(Math.max(r, 0), realRows - 1);
  return {
    line: (r) => img.line[start + clamp(r)] ?? 0,
    changedIn: (from, to) => (sums[clamp(to) + 1] ?? 0) - (sums[clamp(from)] ?? 0) > 0,
    isReal: (r) => r >= 0 && r < realRows,
  };
}
