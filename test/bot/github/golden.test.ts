// The review as posted for real series turned into commits: the engine's real rules, the fake
// serving the commits, and the posted body and comments rendered as Markdown and compared with a
// golden file (update with `npx vitest run -u` after a deliberate change of rules or format).
import { afterEach, expect, it } from 'vitest';
import { defaultGithubStages } from '../../../bot/github/default-stages.ts';
import { runGithubReview } from '../../../bot/github/run.ts';
import { allRules } from '../../../rules/index.ts';
import { startGithubFake, type GithubFake } from '../../helpers/github-fake/server.ts';
import { seriesToPull } from '../../helpers/github-fake/series-to-pull.ts';
import { captureEnv } from '../../helpers/github-fake/harness.ts';
import { corpusPath } from '../../helpers/corpus.ts';

let fake: GithubFake;
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

/** What a reader sees on the PR: the review body, then each comment at its place. */
function rendered(f: GithubFake): string {
  const review = f.state.reviews.find((r) => r.body.includes('<!-- deptbot:review -->'));
  const out = [`### Review on ${review?.commit_id ?? '?'}`, '', review?.body.trimEnd() ?? ''];
  for (const c of f.state.comments) {
    out.push('', `### Comment on \`${c.path}\`${c.line === null ? ' (file)' : ` line ${c.line} (${c.side})`}`, '', c.body);
  }
  // The rule-set hash changes whenever any rule is added; the golden file is about this review.
  return `${out.join('\n')}\n`.replace(/\(rules [0-9a-f]{12}\)/g, '(rules <version>)').replace(/deptbot:digest [0-9a-f]+/g, 'deptbot:digest <digest>');
}

for (const name of ['cma-dmem-v2', 'dmem-rfc']) {
  it(`posts the golden review for ${name}`, async () => {
    const series = seriesToPull(corpusPath(`series/${name}.mbox`), 7);
    try {
      fake = await startGithubFake();
      fake.addPull('kernel', 'linux', series.pull);
      const run = captureEnv(defaultGithubStages({ rules: allRules, severities: {} }), { rules: allRules });
      await runGithubReview({ repo: 'kernel/linux', pr: '7', apiUrl: fake.url }, run.env);
      expect(fake.state.comments.length).toBeGreaterThan(0);
      for (const c of fake.state.comments) expect(c.commit_id).toBe(series.pull.head.sha);
      await expect(rendered(fake)).toMatchFileSnapshot(`golden/${name}.review.md`);
    } finally {
      series.cleanup();
    }
  });
}
