// Facts of a region are a function of its source text, which rows are changed, and where it
// starts: revisions and resends of a series repeat most hunks (about half the C of a list archive),
// so facts are remembered by (text, changed rows) and shifted to the region's first line. Bounded
// by the bytes of the remembered texts; oldest entries go first.
import type { Fact } from '../types.ts';

export interface RegionResult {
  facts: Fact[];
  locals: Record<string, string>;
}

interface Entry extends RegionResult {
  firstLine: number;
}

const DEFAULT_BUDGET = 8 * 1024 * 1024;

export class RegionFactsCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly budget = DEFAULT_BUDGET) {}

  /** The remembered result for `key`, with lines moved to start at `firstLine`; fresh objects. */
  get(key: string, firstLine: number): RegionResult | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return shifted(e, firstLine - e.firstLine);
  }

  set(key: string, firstLine: number, result: RegionResult): void {
    if (key.length > this.budget / 4 || this.entries.has(key)) return;
    this.entries.set(key, { ...shifted(result, 0), firstLine });
    this.bytes += key.length;
    for (const [k] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(k);
      this.bytes -= k.length;
    }
  }
}

function shifted(r: RegionResult, delta: number): RegionResult {
  const facts = r.facts.map((f): Fact => {
    const g = { ...f, line: f.line + delta };
    if (g.kind === 'lock' && g.scopeEndLine !== undefined) g.scopeEndLine += delta;
    return g;
  });
  return { facts, locals: { ...r.locals } };
}

/** The key of a region: whether it is wrapped, its changed rows, and its source text. */
export function regionKey(text: string, wrapped: boolean, changed: readonly boolean[], start: number, rows: number): string {
  let bits = wrapped ? 'w' : 'f';
  for (let i = 0; i < rows; i++) bits += changed[start + i] ? '1' : '0';
  return `${bits}\n${text}`;
}

