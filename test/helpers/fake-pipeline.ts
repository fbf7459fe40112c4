// Fake sources and stages for testing the pipeline wiring and the review command on their own.
import type { Message, RawMessage, Review, Series } from '../../bot/model.ts';
import type { PipelineStages, SeriesAssembler } from '../../bot/pipeline.ts';
import type { Source } from '../../bot/sources/types.ts';
import type { Finding } from '../../rules/engine/types.ts';
import { InputError } from '../../bot/errors.ts';
import { file, finding, message, review, series, subject } from './review-fixtures.ts';

// Raw messages are tiny texts: "<title>|v<rev>|<n>/<m>" for a patch, "re" for a follow-up,
// "spam" for something to skip, "bad" for a message that does not parse.
export function fakeSource(name: string, lines: string[], failAfter?: string): Source {
  return {
    name,
    async *messages() {
      for (const [i, line] of lines.entries()) yield { source: name, locator: `#${i + 1}`, data: Buffer.from(line) } as RawMessage;
      if (failAfter) throw new InputError(name, failAfter);
    },
  };
}

export class FakeAssembler implements SeriesAssembler {
  private readonly open = new Map<string, Series>();
  private followUps = 0;
  private spam = 0;
  add(msg: Message): Series[] {
    if (msg.subject.isReply) {
      this.followUps++;
      return [];
    }
    if (!msg.subject.isPatch) {
      this.spam++;
      return [];
    }
    const { text, revision, counter, expected } = msg.subject;
    const key = `${text}|${revision}`;
    const s = this.open.get(key) ?? { ...series({ title: text, revision, expected, present: [] }) };
    s.patches.push({ ...series({ title: text, revision, expected, present: [counter] }).patches[0]!, message: msg });
    s.missing = s.missing.filter((n) => n !== counter);
    s.complete = s.missing.length === 0;
    this.open.set(key, s);
    if (!s.complete) return [];
    this.open.delete(key);
    return [s];
  }
  flush(): Series[] {
    const rest = [...this.open.values()];
    this.open.clear();
    return rest;
  }
  stats() {
    return { followUps: this.followUps, skipped: { 'not a patch': this.spam } };
  }
}

/** Findings by title: "clean" none, "warn*" warnings, anything else one error per patch. */
function findingsFor(s: Series): Finding[] {
  if (s.title === 'clean') return [];
  const severity = s.title.startsWith('warn') ? 'warning' : 'error';
  return s.patches.map((p) => finding({ ruleId: 'x/y', severity, patch: p.index, file: 'a.c', line: 1 }));
}

export function fakeStages(reviewed: Series[] = []): PipelineStages {
  return {
    async parseMessage(raw) {
      const text = raw.data.toString();
      if (text === 'bad') throw new InputError(`${raw.source}${raw.locator}`, 'not a mail message');
      if (text === 're') return { ...message(`re${raw.locator}`, subject('Re: x')), subject: { ...subject('Re: x'), isReply: true } };
      if (text === 'spam') return { ...message(`s${raw.locator}`, subject('buy')), subject: { ...subject('buy'), isPatch: false } };
      const [title = '', rev = 'v1', nm = '1/1'] = text.split('|');
      const [n, m] = nm.split('/').map(Number);
      return message(`${text}@t`, { ...subject(`[PATCH] ${title}`, n, m, Number(rev.slice(1))), text: title });
    },
    createAssembler: () => new FakeAssembler(),
    lineageKey: (s) => s.title,
    async reviewSeries(s): Promise<Review> {
      reviewed.push(s);
      if (s.title === 'crash') throw new Error('engine exploded');
      return review({ ...s, patches: s.patches.map((p) => ({ ...p, files: [file('a.c', ['big'.repeat(100)])] })) }, findingsFor(s));
    },
  };
}

