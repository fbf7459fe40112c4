// Whole-function facts of one file of an applied tree: the file becomes a single hunk of context
// in which the patch's added lines are marked, so the hunk extractor sees complete functions.
import type { FileChange, HunkLine, Patch } from '../../../bot/model.ts';
import { extractFacts } from '../facts/extract.ts';
import type { FunctionFacts } from '../types.ts';

export function wholeFileFacts(patch: Patch, change: FileChange, content: string): FunctionFacts[] {
  const added = new Set<number>();
  const ranges: Array<[number, number]> = [];
  for (const h of change.hunks) {
    ranges.push([h.newStart, h.newStart + Math.max(h.newLines, 1) - 1]);
    for (const l of h.lines) if (l.type === 'add' && l.newLine !== undefined) added.add(l.newLine);
  }
  const text = content.endsWith('\n') ? content.slice(0, -1) : content;
  const lines: HunkLine[] = text.split('\n').map((t, i) => {
    const n = i + 1;
    return added.has(n) ? { type: 'add', text: t, newLine: n } : { type: 'context', text: t, oldLine: n, newLine: n };
  });
  const whole: FileChange = { ...change, hunks: [{ oldStart: 1, oldLines: lines.length, newStart: 1, newLines: lines.length, section: '', lines }] };
  const synthetic: Patch = { ...patch, files: [whole] };
  const touched = (fn: FunctionFacts): boolean => fn.facts.some((f) => ranges.some(([a, b]) => f.line >= a && f.line <= b));
  return extractFacts(synthetic, patch.index).filter((fn) => fn.image === 'new' && touched(fn));
}
