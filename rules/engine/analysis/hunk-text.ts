// Raw post-image text of a patch, for rules about text rather than C facts (Kconfig symbols,
// preprocessor blocks, macro bodies, invisible characters). Line numbers are new-side.
import type { FileChange, Hunk, Patch, Series } from '../../../bot/model.ts';

export interface PostImageLine {
  patch: number;
  file: string;
  line: number;
  text: string;
  /** True for an added ('+') line, false for a context line. */
  added: boolean;
}

/** Added and context lines of every hunk of one file, in order; hunks are separated by `null`. */
export function* postImageOf(patch: Patch, file: FileChange): Generator<PostImageLine | null> {
  for (const hunk of file.hunks) {
    yield* hunkPostImage(patch, file, hunk);
    yield null;
  }
}

/** Added and context lines of one hunk of a file, in order. */
export function* hunkPostImage(patch: Patch, file: FileChange, hunk: Hunk): Generator<PostImageLine> {
  for (const l of hunk.lines) {
    if (l.type === 'del' || l.newLine === undefined) continue;
    yield { patch: patch.index, file: file.path, line: l.newLine, text: l.text, added: l.type === 'add' };
  }
}

/** The hunk of `file` in `patch` whose new-side range holds `line`, if any. */
export function hunkAt(patch: Patch | undefined, file: string, line: number): Hunk | undefined {
  const change = patch?.files.find((f) => f.path === file);
  return change?.hunks.find((h) => line >= h.newStart && line < h.newStart + Math.max(h.newLines, 1));
}

/** Every added line of a patch. */
export function* addedLines(patch: Patch): Generator<PostImageLine> {
  for (const file of patch.files) {
    for (const l of postImageOf(patch, file)) if (l?.added) yield l;
  }
}

/**
 * True when some added line of the file contains `needle`: a cheap test before building a file's
 * post-image and code-only text for a rule that reports only at an added line holding it.
 */
export function addsText(file: FileChange, needle: string): boolean {
  return file.hunks.some((h) => h.lines.some((l) => l.type === 'add' && l.text.includes(needle)));
}

/** Every deleted line's text of one file in a patch (to tell moved code from new code). */
export function deletedTexts(file: FileChange): string[] {
  const out: string[] = [];
  for (const hunk of file.hunks) for (const l of hunk.lines) if (l.type === 'del') out.push(l.text);
  return out;
}

/** Post-image lines (added and context) of every patch of a series. */
export function* seriesPostImage(series: Series): Generator<PostImageLine> {
  for (const patch of series.patches) {
    for (const file of patch.files) {
      for (const l of postImageOf(patch, file)) if (l) yield l;
    }
  }
}

/** C sources and headers: the files whose text the C rules read. */
export function isCFile(path: string): boolean {
  return /\.[ch]$/.test(path);
}

/**
 * Blanks out comments and string/char literals of a run of lines (block comments may span lines),
 * keeping column positions, so that a keyword in a comment or a string is not taken for code.
 */
export function codeOnly(lines: readonly string[]): string[] {
  let inBlock = false;
  return lines.map((text) => {
    let out = '';
    let i = 0;
    while (i < text.length) {
      if (inBlock) {
        const end = text.indexOf('*/', i);
        if (end < 0) {
          out += ' '.repeat(text.length - i);
          i = text.length;
        } else {
          out += ' '.repeat(end + 2 - i);
          i = end + 2;
          inBlock = false;
        }
        continue;
      }
      const c = text[i];
      if (c === '/' && text[i + 1] === '*') {
        inBlock = true;
        continue;
      }
      if (c === '/' && text[i + 1] === '/') {
        out += ' '.repeat(text.length - i);
        break;
      }
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
        out += c + ' '.repeat(Math.max(0, Math.min(j, text.length) - i - 1)) + (j < text.length ? c : '');
        i = j + 1;
        continue;
      }
      out += c;
      i++;
    }
    return out;
  });
}
