// Which preprocessor conditionals visibly enclose a line of a hunk. A hunk shows a window of a
// file: a conditional opened above the window and closed inside it is "unknown", never "none".

export interface OpenConditional {
  /** The opening directive, whitespace-normalised: "#ifdef CONFIG_DEPT", "#if IS_ENABLED(X)". */
  text: string;
  /** True when the line sits in the #else/#elif part of it. */
  inElse: boolean;
}

export interface Enclosing {
  /** Openers seen above the line, innermost first. */
  open: OpenConditional[];
  /** True when the line is inside a conditional whose opener is not visible. */
  unknown: boolean;
}

const OPEN = /^\s*#\s*if(?:n?def)?\b/;
const ELSE = /^\s*#\s*(?:else|elif)\b/;
const CLOSE = /^\s*#\s*endif\b/;

export function enclosingConditionals(lines: readonly string[], index: number): Enclosing {
  const open: OpenConditional[] = [];
  let depth = 0;
  let inElse = false;
  for (let i = index - 1; i >= 0; i--) {
    const t = lines[i] ?? '';
    if (CLOSE.test(t)) depth++;
    else if (OPEN.test(t)) {
      if (depth > 0) depth--;
      else {
        open.push({ text: t.trim().replace(/\s+/g, ' '), inElse });
        inElse = false;
      }
    } else if (ELSE.test(t) && depth === 0) inElse = true;
  }
  // An #else above with no opener visible: inside a conditional that started before the hunk.
  if (inElse) return { open, unknown: true };
  depth = 0;
  let closers = 0;
  for (let i = index + 1; i < lines.length; i++) {
    const t = lines[i] ?? '';
    if (OPEN.test(t)) depth++;
    else if (CLOSE.test(t)) {
      if (depth > 0) depth--;
      else closers++;
    } else if (ELSE.test(t) && depth === 0 && closers >= open.length) return { open, unknown: true };
  }
  return { open, unknown: closers > open.length };
}
