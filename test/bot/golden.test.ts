// Whole-series golden tests: run the review pipeline on a case (real series from ../shared/corpus
// or the bundled example) and compare the stable fields of the JSON report with
// corpus/golden/<case>/expected.json. Regenerate after rule changes with:
//   UPDATE_GOLDEN=1 npx vitest run test/bot/golden.test.ts
// and read the diff before committing it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../bot/reporters/format-json.ts';
import { corpusPath, repoRoot } from '../helpers/corpus.ts';
import { reviewJson } from '../helpers/review-json.ts';

interface GoldenCase {
  /** "shared:<path under ../shared/corpus>" or "repo:<path in this repository>". */
  inputs: string[];
  allRevisions?: boolean;
}

const goldenDir = `${repoRoot}/corpus/golden`;
const update = process.env.UPDATE_GOLDEN === '1';

function inputPath(spec: string): string {
  if (spec.startsWith('shared:')) return corpusPath(spec.slice('shared:'.length));
  if (spec.startsWith('repo:')) return `${repoRoot}/${spec.slice('repo:'.length)}`;
  throw new Error(`bad input spec ${spec}`);
}

/** Fields that only change when parsing or rules change: no tool version, no message wording. */
function stable(report: JsonReport) {
  return {
    series: report.series.map((s) => ({
      subject: s.subject,
      revision: s.revision,
      expected: s.expected,
      complete: s.complete,
      missing: s.missing,
      cover: s.cover,
      patches: s.patches,
      findings: s.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        patch: f.patch,
        file: f.file,
        line: f.line,
        related: f.related,
      })),
      notes: s.notes,
    })),
    errors: report.errors,
    summary: report.summary,
  };
}

describe('golden series', () => {
  for (const name of readdirSync(goldenDir).sort()) {
    const caseFile = `${goldenDir}/${name}/case.json`;
    if (!existsSync(caseFile)) continue;
    it(name, async () => {
      const c = JSON.parse(readFileSync(caseFile, 'utf8')) as GoldenCase;
      const actual = stable(await reviewJson(c.inputs.map(inputPath), { allRevisions: c.allRevisions === true }));
      const expectedFile = `${goldenDir}/${name}/expected.json`;
      if (update || !existsSync(expectedFile)) {
        writeFileSync(expectedFile, `${JSON.stringify(actual, null, 2)}\n`);
        if (!update) throw new Error(`${expectedFile} was missing and has been written; check it and rerun`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});
