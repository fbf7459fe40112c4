// A pull request as raw messages, so commits go through the same parseMessage/toPatch path as
// mail: the PR title and body become a cover letter, each commit's format-patch text a message.
import type { RawMessage } from '../model.ts';
import type { PullSnapshot } from '../github/fetch-pull.ts';

/** RFC 2047 encoded-word for header text that is not plain ASCII. */
function headerText(text: string): string {
  // [hardening] A match starts only where a run of blanks starts, so a long blank run costs linear time.
  const oneLine = text.replace(/(?<![^\S\n])[^\S\n]*\n\s*/g, ' ');
  return /^[\x20-\x7e]*$/.test(oneLine) ? oneLine : `=?UTF-8?B?${Buffer.from(oneLine, 'utf8').toString('base64')}?=`;
}

function domainOf(s: PullSnapshot): string {
  return `${s.ref.repo}.${s.ref.owner}.github`;
}

function sourceName(s: PullSnapshot): string {
  return `github:${s.ref.owner}/${s.ref.repo}#${s.ref.pull}`;
}

/** The cover letter: "[PATCH 0/N] title" from the PR author with the PR body. */
export function coverMessage(s: PullSnapshot): RawMessage {
  const n = s.commits.length;
  const text = [
    `From: ${headerText(s.pull.author)} <${s.pull.author}@users.noreply.github.com>`,
    `Subject: ${headerText(`[PATCH 0/${n}] ${s.pull.title}`)}`,
    `Date: ${new Date(s.pull.createdAt).toUTCString()}`,
    `Message-ID: <pull-${s.ref.pull}@${domainOf(s)}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    s.pull.body.replace(/\r\n/g, '\n'),
    '',
  ].join('\n');
  return { source: sourceName(s), locator: 'cover', data: Buffer.from(text, 'utf8') };
}

/**
 * A commit's format-patch text as a message. GitHub starts it with an mbox "From <sha> <date>"
 * line and gives no Message-ID; the line is dropped and an id derived from the sha added.
 */
export function commitMessage(s: PullSnapshot, index: number): RawMessage {
  const commit = s.commits[index];
  if (!commit) throw new RangeError(`no commit ${index}`);
  const text = commit.patch.replace(/^From [0-9a-f]{40} [^\n]*\n/, '');
  const threading = `Message-ID: <${commit.sha}@${domainOf(s)}>\nIn-Reply-To: <pull-${s.ref.pull}@${domainOf(s)}>\n`;
  return { source: sourceName(s), locator: commit.sha, data: Buffer.from(threading + text, 'utf8') };
}
