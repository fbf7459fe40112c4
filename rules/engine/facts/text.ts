// Small text helpers shared by the extractor: whitespace normalisation, argument splitting,
// lock/wait target normalisation and blanking of strings and comments for lexical scans.

/** Collapses whitespace, trims, and drops spaces that do not change meaning ("a -> b" -> "a->b"). */
export function normCode(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/(?:(?<!\s)\s+)?(->|\.)\s*/g, '$1')
    .replace(/\(\s+/g, '(')
    .replace(/(?<!\s)\s+\)/g, ')')
    .trim();
}

/** Statement text for messages: normalised and bounded. */
export function stmtText(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 197)}...` : t;
}

/** Removes one pair of enclosing parentheses when they enclose the whole text. */
export function stripOuterParens(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')') && matchingClose(t, 0) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

/** Index of the bracket closing the one at `open`, or -1. Skips string and char literals. */
export function matchingClose(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      i = skipLiteral(s, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipLiteral(s: string, start: number): number {
  const q = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === q || s[i] === '\n') return i;
  }
  return s.length;
}

/** "(a, f(b, c), d)" -> ["a", "f(b, c)", "d"], each normalised. */
export function splitArgs(parenText: string): string[] {
  const inner = parenText.trim().replace(/^\(/, '').replace(/\)$/, '');
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"' || c === "'") i = skipLiteral(inner, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(normCode(inner.slice(start, i)));
      start = i + 1;
    }
  }
  const last = normCode(inner.slice(start));
  if (last !== '' || out.length > 0) out.push(last);
  return out;
}

/** Lock or wait target: "&dev->lock", "(&dev->lock)" and "dev->lock" all become "dev->lock". */
export function normTarget(expr: string | undefined): string {
  if (expr === undefined) return '';
  let t = stripOuterParens(expr.replace(/\s+/g, ''));
  while (t.startsWith('&')) t = stripOuterParens(t.slice(1));
  return t;
}

/** Replaces the contents of comments and string/char literals with spaces, keeping newlines. */
export function blankNonCode(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const n = s[i + 1];
    let end = -1;
    if (c === '/' && n === '*') {
      const close = s.indexOf('*/', i + 2);
      end = close < 0 ? s.length : close + 2;
    } else if (c === '/' && n === '/') {
      const nl = s.indexOf('\n', i);
      end = nl < 0 ? s.length : nl;
    } else if (c === '"' || c === "'") {
      end = Math.min(skipLiteral(s, i) + 1, s.length);
    }
    if (end < 0) {
      out += c;
      i++;
    } else {
      out += s.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    }
  }
  return out;
}
