// Small builders for Message / Patch / Series / Review, for reporter and pipeline tests.
import type { FileChange, Message, Patch, Review, Series, Subject } from '../../bot/model.ts';
import type { Finding } from '../../rules/engine/types.ts';

export function subject(raw: string, counter = 1, expected = 1, revision = 1): Subject {
  const text = raw.replace(/^\[[^\]]*\]\s*/, '');
  return { raw, text, isReply: false, isPatch: true, revision, counter, expected, prefixes: [], rfc: false, resend: false };
}

export function message(id: string, subj: Subject, body = ''): Message {
  return {
    id,
    references: [],
    from: { name: 'Ada Example', address: 'ada@example.org' },
    to: [],
    cc: [],
    replyTo: [],
    date: new Date('2026-03-02T09:00:00Z'),
    subject: subj,
    body,
    headers: new Map([['subject', subj.raw]]),
    size: body.length,
    source: 'test',
    locator: `#${id}`,
  };
}

export function file(path: string, addedLines: string[] = []): FileChange {
  return {
    oldPath: path,
    newPath: path,
    path,
    status: 'modified',
    binary: false,
    hunks: [
      {
        oldStart: 10,
        oldLines: 0,
        newStart: 10,
        newLines: addedLines.length,
        section: '',
        lines: addedLines.map((text, i) => ({ type: 'add' as const, text, newLine: 10 + i })),
      },
    ],
  };
}

export interface SeriesSpec {
  title: string;
  revision?: number;
  expected?: number;
  /** Patch counters present, default 1..expected. */
  present?: number[];
  cover?: boolean;
  key?: string;
  files?: Record<number, FileChange[]>;
}

export function series(spec: SeriesSpec): Series {
  const revision = spec.revision ?? 1;
  const expected = spec.expected ?? 1;
  const present = spec.present ?? Array.from({ length: expected }, (_, i) => i + 1);
  const v = revision > 1 ? ` v${revision}` : '';
  const prefix = (n: number): string => (expected > 1 || n === 0 ? `[PATCH${v} ${n}/${expected}]` : `[PATCH${v}]`);
  const patches: Patch[] = present.map((n) => ({
    index: n,
    message: message(`${spec.key ?? spec.title}-v${revision}-${n}@test`, subject(`${prefix(n)} ${spec.title} part ${n}`, n, expected, revision), 'body'),
    author: { name: 'Ada Example', address: 'ada@example.org' },
    commitMessage: 'commit message',
    trailers: [],
    files: spec.files?.[n] ?? [file(`drivers/demo/part${n}.c`, ['int x;'])],
  }));
  const missing = Array.from({ length: expected }, (_, i) => i + 1).filter((n) => !present.includes(n));
  return {
    key: `${spec.key ?? spec.title}-v${revision}`,
    title: spec.title,
    revision,
    expected,
    cover: spec.cover ? message(`${spec.key ?? spec.title}-v${revision}-0@test`, subject(`${prefix(0)} ${spec.title}`, 0, expected, revision)) : undefined,
    patches,
    missing,
    complete: missing.length === 0,
    followUps: [],
    notes: [],
  };
}

export function review(s: Series, findings: Finding[] = [], notes: string[] = []): Review {
  return { series: s, findings, ruleErrors: [], notes, rulesetVersion: 'test' };
}

export function finding(f: Partial<Finding> & Pick<Finding, 'ruleId' | 'patch'>): Finding {
  return { severity: 'error', message: `problem found by ${f.ruleId}`, ...f };
}
