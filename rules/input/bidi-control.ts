// Trojan Source (CVE-2021-42574): bidirectional overrides/isolates reorder how a line is displayed
// without changing what the compiler reads, and zero-width characters hide inside identifiers and
// strings. Reviewers read the display, so such characters in added lines are reported, in any file.
import { defineRule } from '../engine/define-rule.ts';
import { addedLines } from '../engine/analysis/hunk-text.ts';

/** Embedding, override and isolate controls: the characters of CVE-2021-42574. Always reported. */
const BIDI_CONTROLS: Record<number, string> = {
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

/**
 * Invisible characters. Joiners and directional marks are legitimate inside Persian, Arabic, Indic
 * or emoji text, so these are reported only where they touch ASCII (an identifier, a string of
 * code) or stand at the start or end of a line.
 */
const INVISIBLES: Record<number, string> = {
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x061c: 'ARABIC LETTER MARK',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

const CANDIDATE = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\u2060-\u2064\u180e\ufeff]/u;

interface Hidden {
  column: number;
  code: number;
  name: string;
  bidi: boolean;
}

function isAscii(ch: string | undefined): boolean {
  return ch === undefined || ch.charCodeAt(0) < 0x80;
}

/** The characters worth reporting in one line, with 1-based columns. */
export function hiddenCharacters(text: string, isFileStart: boolean): Hidden[] {
  if (!CANDIDATE.test(text)) return [];
  const chars = Array.from(text);
  const found: Hidden[] = [];
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    const bidiName = BIDI_CONTROLS[code];
    if (bidiName) {
      found.push({ column: i + 1, code, name: bidiName, bidi: true });
      return;
    }
    const name = INVISIBLES[code];
    if (!name) return;
    if (code === 0xfeff && i === 0 && isFileStart) return; // a byte order mark, not hidden code
    const before = i === 0 ? undefined : chars[i - 1];
    const after = i === chars.length - 1 ? undefined : chars[i + 1];
    if (isAscii(before) || isAscii(after)) found.push({ column: i + 1, code, name, bidi: false });
  });
  return found;
}

function describe(h: Hidden): string {
  return `U+${h.code.toString(16).toUpperCase().padStart(4, '0')} ${h.name} at column ${h.column}`;
}

export default defineRule({
  meta: {
    id: 'input/bidi-control',
    severity: 'error',
    description: 'Added line contains bidirectional-control or zero-width characters (Trojan Source, CVE-2021-42574)',
    messages: {
      bidi:
        'This added line contains {{chars}}: a bidirectional control makes the line display in a different order than the compiler reads it (Trojan Source, CVE-2021-42574), so what reviewers see is not what is built. Remove the character, or write it as an escape if a string really needs it.',
      invisible:
        'This added line contains {{chars}}: an invisible character next to code can make two identifiers or strings look equal while they differ, and no reviewer can see it. Remove it, or write it as an escape if a string really needs it.',
    },
    // A text rule: the characters are not identifiers (the trigger scan wants word boundaries, and
    // a zero width space hides inside a word), so it always runs.
    triggers: [],
    scope: 'patch',
  },
  check(ctx) {
    const patch = ctx.patch;
    if (!patch) return;
    for (const l of addedLines(patch)) {
      const hidden = hiddenCharacters(l.text, l.line === 1);
      if (hidden.length === 0) continue;
      const chars = hidden.map(describe).join(', ');
      ctx.report({
        patch: l.patch,
        file: l.file,
        line: l.line,
        side: 'new',
        messageId: hidden.some((h) => h.bidi) ? 'bidi' : 'invisible',
        data: { chars },
      });
    }
  },
});
