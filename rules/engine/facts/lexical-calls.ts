// Fallback for statements tree-sitter misreads as declarations (a macro call whose arguments are
// types, e.g. "foo(container_of(p, struct q, r));"): find "name(" lexically and match parentheses.
import { blankNonCode, matchingClose, normCode, splitArgs } from './text.ts';

export interface LexicalCall {
  callee: string;
  args: string[];
  /** Row offset of the callee inside the scanned text. */
  row: number;
}

const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'alignof', '__alignof__', '_Alignof', 'defined', '__attribute__', 'do', 'case', 'asm', '__asm__']);
// A callee starts only where its chain starts: not inside a word, and not after "word." or
// "word->" (the chain's head matches there). Every chain is then scanned once, so long runs of
// letters or of ".a" stay linear.
const CALLEE = /(?=[A-Za-z_])(?<!\w)(?<!\w\s*(?:->|\.)\s*)([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)\s*\(/g;

export function lexicalCalls(text: string): LexicalCall[] {
  const code = blankNonCode(text);
  const out: LexicalCall[] = [];
  CALLEE.lastIndex = 0;
  for (let m = CALLEE.exec(code); m; m = CALLEE.exec(code)) {
    const name = normCode(m[1] ?? '');
    const open = m.index + m[0].length - 1;
    CALLEE.lastIndex = open + 1;
    if (NOT_CALLS.has(name)) continue;
    const close = matchingClose(code, open);
    if (close < 0) continue;
    const row = countNewlines(code, m.index);
    const args = splitArgs(text.slice(open, close + 1));
    const after = /^\s*\(/.exec(code.slice(close + 1));
    if (name === 'guard' && after) {
      const open2 = close + 1 + after[0].length - 1;
      const close2 = matchingClose(code, open2);
      if (close2 > 0) {
        out.push({ callee: `guard(${args[0] ?? ''})`, args: splitArgs(text.slice(open2, close2 + 1)), row });
        CALLEE.lastIndex = open2 + 1;
        continue;
      }
    }
    out.push({ callee: name, args, row });
  }
  return out;
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
