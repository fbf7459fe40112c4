// Prose wrapped for a plain-text mail: 72 columns, words never split (a long path or URL stays
// whole on its own line), an optional hanging indent for continuation lines.

export const WRAP_WIDTH = 72;

/** Wraps one paragraph; runs of whitespace become one space. `indent` starts continuation lines. */
export function wrapParagraph(text: string, width = WRAP_WIDTH, indent = ''): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line === '') line = prefix + word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Wraps text paragraph by paragraph (blank lines kept); lines starting with whitespace are kept as is. */
export function wrapText(text: string, width = WRAP_WIDTH): string {
  const out: string[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length > 0) out.push(...wrapParagraph(para.join(' '), width));
    para = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      out.push('');
    } else if (/^\s/.test(line)) {
      flush();
      out.push(line.trimEnd());
    } else para.push(line);
  }
  flush();
  return out.join('\n');
}
