import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { mboxrdEntry } from '../../../bot/mail-out/render.ts';
import { emlFileName } from '../../../bot/mail-out/eml.ts';
import { corpusPath, repoRoot } from '../../helpers/corpus.ts';

describe('deptbot review --format email', () => {
  test('prints the replies for a corpus series as an mboxrd stream', () => {
    let out = '';
    try {
      out = execFileSync(process.execPath, ['bin/deptbot.js', 'review', '--format', 'email', corpusPath('series/dmem-rfc.mbox')], { cwd: repoRoot, encoding: 'utf8' });
    } catch (err) {
      out = (err as { stdout: string }).stdout; // exit 1: findings
    }
    const entries = out.split(/^From deptbot@localhost /m).filter(Boolean);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    // The list's own tag is dropped when List-Id names it, as a reviewer's mail client would.
    expect(out).toMatch(/^Subject: Re: \[PATCH RFC 01\/12\] cma: Register dmem/m);
    expect(out).toMatch(/^In-Reply-To: <20250310-dmem-cgroups-v1-1-2984c1bc9312@kernel\.org>$/m);
    expect(out).toContain('warning [cma/region-lifecycle]');
    // The finding sits under the quoted line it concerns.
    expect(out).toMatch(/^> \+.*\n\nwarning \[cma\/region-lifecycle\]/m);
    expect(out).not.toContain('\r');
  });
});

describe('mboxrd and file names', () => {
  test('From lines in the body are quoted once more (mboxrd)', () => {
    const raw = Buffer.from('Subject: x\r\n\r\nFrom here\r\n>From there\r\nnot From\r\n');
    const entry = mboxrdEntry(raw, 'bot@x.org', new Date('2026-01-05T03:04:05Z'));
    expect(entry).toBe('From bot@x.org Mon Jan  5 03:04:05 2026\nSubject: x\n\n>From here\n>>From there\nnot From\n\n');
  });
  test('.eml names never carry path parts from a Message-ID', () => {
    expect(emlFileName('../../etc/passwd@x', 2)).toBe('patch2-etc-passwd.eml');
    expect(emlFileName('deptbot.0123abcd@x.org', 0)).toBe('cover-deptbot-0123abcd.eml');
  });
});
