// A Series built from diff texts, for rule tests and tools: one patch per diff, with the commit
// message taken from a format-patch mail when the text has one.
import { parseUnifiedDiff } from '../../bot/mail/diff.ts';
import type { Message, Patch, Series, Subject } from '../../bot/model.ts';

const AUTHOR = { name: 'Test Author', address: 'author@example.org' };

export function syntheticSeries(title: string, diffs: readonly string[], commitMessage?: string): Series {
  const patches: Patch[] = diffs.map((text, i) => syntheticPatch(title, text, i + 1, diffs.length, commitMessage));
  return { key: `test:${title}`, title, revision: 1, expected: diffs.length, patches, missing: [], complete: true, followUps: [], notes: [] };
}

function syntheticPatch(title: string, text: string, index: number, total: number, commitMessage?: string): Patch {
  const normalized = text.replace(/\r\n/g, '\n');
  const at = normalized.search(/^diff --git /m);
  const diffText = recountHunks(at >= 0 ? normalized.slice(at) : normalized);
  const mailPart = at > 0 ? normalized.slice(0, at) : '';
  const body = commitMessage ?? (commitFromMail(mailPart) || title);
  const subject: Subject = { raw: `[PATCH ${index}/${total}] ${title}`, text: title, isReply: false, isPatch: true, revision: 1, counter: index, expected: total, prefixes: [], rfc: false, resend: false };
  const message: Message = {
    id: `test-${index}@deptbot`,
    references: [],
    from: AUTHOR,
    to: [],
    cc: [],
    replyTo: [],
    date: new Date(0),
    subject,
    body: `${body}\n---\n${diffText}`,
    headers: new Map(),
    size: normalized.length,
    source: 'test',
    locator: `#${index}`,
  };
  return { index, message, author: AUTHOR, commitMessage: body, trailers: [], files: parseUnifiedDiff(diffText) };
}

/** The commit message of a format-patch mail: after the headers, up to the "---" line. */
function commitFromMail(mail: string): string {
  if (mail.trim() === '') return '';
  const afterHeaders = /^[A-Za-z-]+: /.test(mail) || mail.startsWith('From ') ? mail.slice(Math.max(0, mail.indexOf('\n\n')) + 2) : mail;
  return afterHeaders.split(/^---$/m)[0]?.trim() ?? '';
}

/**
 * Hand-written cases often miscount hunk lines; recount each hunk from its body so that a wrong
 * count cannot silently cut the hunk short. Correct counts are left as they are.
 */
export function recountHunks(diff: string): string {
  const lines = diff.replace(/\n+$/, '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    let j = i + 1;
    let oldN = 0;
    let newN = 0;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? '';
      if (l.startsWith('@@ ') || l.startsWith('diff --git ') || l === '-- ') break;
      const c = l[0];
      if (c === '+') newN++;
      else if (c === '-') oldN++;
      else if (c === ' ' || c === undefined) {
        oldN++;
        newN++;
      } else if (c !== '\\') break;
    }
    out.push(`@@ -${m[1]},${oldN} +${m[2]},${newN} @@${m[3]}`, ...lines.slice(i + 1, j));
    i = j - 1;
  }
  return `${out.join('\n')}\n`;
}
