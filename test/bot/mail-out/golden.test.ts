// Golden mails for real corpus series with findings: the replies are composed from the real parser,
// series assembly and the rules that fire on them, and compared byte for byte with the files in
// golden/ (DEPTBOT_UPDATE_GOLDEN=1 rewrites them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, test } from 'vitest';
import { composeReview } from '../../../bot/mail-out/compose.ts';
import { renderMail } from '../../../bot/mail-out/render.ts';
import { defaultStages } from '../../../bot/wiring.ts';
import { openInputs } from '../../../bot/sources/open-inputs.ts';
import type { Series } from '../../../bot/model.ts';
import { allRules } from '../../../rules/index.ts';
import { corpusPath, repoRoot } from '../../helpers/corpus.ts';
import { composeOptions } from './fixtures.ts';

const GOLDEN = join(repoRoot, 'test/bot/mail-out/golden');
const rules = allRules.filter((r) => r.meta.id.startsWith('cma/'));

async function seriesOf(name: string): Promise<Series[]> {
  const stages = defaultStages();
  const asm = stages.createAssembler();
  const out: Series[] = [];
  for (const source of openInputs([corpusPath(`series/${name}`)])) {
    for await (const raw of source.messages()) out.push(...asm.add(await stages.parseMessage(raw)));
  }
  return [...out, ...asm.flush()];
}

describe('golden review mails from the corpus', () => {
  test.each([
    ['cma-dmem-v2.mbox', 1],
    ['dmem-rfc.mbox', 2],
  ])('%s', async (name, patchMails) => {
    const [series] = (await seriesOf(name)).sort((a, b) => b.revision - a.revision);
    const review = await defaultStages().reviewSeries(series as Series, { rules });
    const opts = { ...composeOptions({ coverSummary: 'findings', allow: { lists: ['linaro-mm-sig@lists.linaro.org', 'dri-devel@lists.freedesktop.org', 'linux-mm@kvack.org'] } }) };
    const mails = composeReview(review, opts);
    expect(mails.filter((m) => m.kind === 'patch')).toHaveLength(patchMails);
    const text = mails.map((m) => renderMail(m, '9.9.9').toString('utf8').replace(/\r\n/g, '\n')).join('\n=====\n');
    const file = join(GOLDEN, name.replace(/\.mbox$/, '.mails.txt'));
    if (process.env.DEPTBOT_UPDATE_GOLDEN || !existsSync(file)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, text);
    }
    expect(text).toBe(readFileSync(file, 'utf8'));
    for (const m of mails) {
      const parsed = await simpleParser(renderMail(m, '9.9.9'));
      expect(parsed.inReplyTo).toBe(`<${m.parent.id}>`);
      expect(parsed.subject).toMatch(/^Re: (?!Re:)/);
      // Every finding of the patch is there, right under a quoted line.
      if (m.kind === 'patch') expect(parsed.text).toMatch(/^> [+ -].*\n\n(warning|error|info) \[cma\//m);
    }
  });
});
