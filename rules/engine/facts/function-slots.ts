// The functions of one file image, grouped without parsing: regions are split and joined across
// hunks first, and a function's C is parsed only when a rule reads it. Most of a patch's code is
// read by no rule (rules declare the words a function must mention, `meta.reads`), so most of it
// is never parsed. The grouping is the one extractFacts always made: a hunk that starts inside the
// function the previous hunk ended in joins it after a gap, and a region without facts is dropped
// unless its opening brace is visible. Where that "without facts" decides a join, the region is
// parsed to decide it.
import type { FileChange, Hunk } from '../../../bot/model.ts';
import type { FunctionFacts } from '../types.ts';
import { hunkImage } from './image.ts';
import type { ImageLines } from './image.ts';
import { knowsPrefix, knowsSuffix, regionName, splitRegions } from './regions.ts';
import type { Region } from './regions.ts';

type Where = Pick<FunctionFacts, 'patch' | 'file' | 'image'>;

/** Parses one region: the facts of that region alone (extract.ts). */
export type RegionParser = (img: ImageLines, reg: Region, section: string, where: Where) => FunctionFacts;

/** One region: its name is cheap, its facts are parsed on first need. */
class Part {
  private parsed?: FunctionFacts;
  private nameMemo?: string | null;

  constructor(
    private readonly img: ImageLines,
    readonly reg: Region,
    readonly section: string,
    private readonly where: Where,
    private readonly parse: RegionParser,
    /** Line of the gap before this part when it continues a function from an earlier hunk. */
    public gapLine = 0,
  ) {}

  get prefixKnown(): boolean {
    return knowsPrefix(this.reg);
  }

  get suffixKnown(): boolean {
    return knowsSuffix(this.reg);
  }

  /** The name regionFacts gives, without a parse. */
  get name(): string | null {
    if (this.nameMemo === undefined) this.nameMemo = regionName(this.reg, this.section);
    return this.nameMemo;
  }

  facts(): FunctionFacts {
    return (this.parsed ??= this.parse(this.img, this.reg, this.section, this.where));
  }

  /** The rows, and the hunk header a lead region is named from: what `reads` words are looked for in. */
  text(): string {
    return `${this.section}\n${this.img.text.slice(this.reg.start, this.reg.end + 1).join('\n')}`;
  }
}

/** A function as rules see it: the text its words are matched in, and its facts on demand. */
export class FunctionSlot {
  readonly parts: Part[];
  private textMemo?: string;
  private built?: FunctionFacts | null;

  constructor(first: Part) {
    this.parts = [first];
  }

  get name(): string | null {
    return (this.parts[0] as Part).name;
  }

  get suffixKnown(): boolean {
    return (this.parts[this.parts.length - 1] as Part).suffixKnown;
  }

  /** False only for a lone region without facts and without a visible opening brace (dropped). */
  kept(): boolean {
    const first = this.parts[0] as Part;
    return first.prefixKnown || this.parts.length > 1 || first.facts().facts.length > 0;
  }

  /** Whether kept() is known without parsing. */
  get settled(): boolean {
    const first = this.parts[0] as Part;
    return first.prefixKnown || this.parts.length > 1;
  }

  text(): string {
    return (this.textMemo ??= this.parts.map((p) => p.text()).join('\n'));
  }

  /** The function's facts (parts joined with gaps), or null when the function is dropped. */
  facts(): FunctionFacts | null {
    if (this.built !== undefined) return this.built;
    if (!this.kept()) return (this.built = null);
    const [first, ...rest] = this.parts as [Part, ...Part[]];
    const head = first.facts();
    const fn: FunctionFacts = { ...head, facts: [...head.facts], locals: { ...head.locals } };
    for (const part of rest) {
      const p = part.facts();
      fn.facts.push({ kind: 'gap', line: part.gapLine, changed: false, depth: 0, conditions: [], text: '' });
      fn.facts.push(...p.facts);
      Object.assign(fn.locals, p.locals);
      fn.suffixKnown = p.suffixKnown;
    }
    return (this.built = fn);
  }
}

/** The functions of one image of a file, in source order. `want` picks the hunks that have one. */
export function fileSlots(file: FileChange, image: 'new' | 'old', where: Where, parse: RegionParser, want: (h: Hunk) => boolean = () => true): FunctionSlot[] {
  const slots: FunctionSlot[] = [];
  // The previous hunk ended inside a function: slots before `openBefore` may hold it.
  let openBefore: number | null = null;
  let prevLastLine = 0;
  for (const hunk of file.hunks) {
    if (!want(hunk)) {
      openBefore = null;
      continue;
    }
    const img = hunkImage(hunk, image);
    if (img.text.length === 0) continue;
    const regions = splitRegions(img.text);
    regions.forEach((reg, i) => {
      const part = new Part(img, reg, hunk.section, where, parse);
      const open = i === 0 && reg.kind === 'lead' && openBefore !== null ? openSlot(slots, openBefore, part.name) : null;
      if (open) {
        part.gapLine = prevLastLine + 1;
        open.parts.push(part);
      } else {
        slots.push(new FunctionSlot(part));
      }
    });
    const last = regions[regions.length - 1];
    openBefore = last && last.kind !== 'file' && !last.closed ? slots.length : null;
    prevLastLine = img.line[img.line.length - 1] ?? prevLastLine;
  }
  return slots;
}

/**
 * The function a hunk's leading region continues: the last kept slot before `end`, when it is still
 * open and has the region's name. Dropped slots are skipped, so a region's facts are parsed here
 * only when it could be that function.
 */
function openSlot(slots: readonly FunctionSlot[], end: number, name: string | null): FunctionSlot | null {
  // Without parsing, the candidates are the unsettled slots from the end back to the first settled one.
  let possible = false;
  for (let i = end - 1; i >= 0; i--) {
    const s = slots[i] as FunctionSlot;
    if (s.name === name && !s.suffixKnown) possible = true;
    if (s.settled) break;
  }
  if (!possible) return null;
  for (let i = end - 1; i >= 0; i--) {
    const s = slots[i] as FunctionSlot;
    if (s.kept()) return s.name === name && !s.suffixKnown ? s : null;
  }
  return null;
}
