import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY, formatSarif } from '../../../bot/reporters/format-sarif.ts';
import type { ReportDocument } from '../../../bot/reporters/document.ts';
import { repoRoot } from '../../helpers/corpus.ts';
import { finding, review, series } from '../../helpers/review-fixtures.ts';
import { sampleDocument } from './doc.ts';

// No installed package ships the SARIF schema; the fixture is a faithful subset of the published
// sarif-schema-2.1.0.json (see its description).
const schema = JSON.parse(readFileSync(`${repoRoot}/test/fixtures/sarif-schema-2.1.0.subset.json`, 'utf8'));
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
// ajv-formats is CommonJS: its default import is the plugin function at run time.
(addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
const validate = ajv.compile(schema);

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } }; logicalLocations?: unknown[] }>;
  relatedLocations?: Array<{ id: number; message: { text: string } }>;
  partialFingerprints: Record<string, string>;
}

const sarif = (doc: ReportDocument) => JSON.parse(formatSarif(doc, { color: false }));

describe('formatSarif', () => {
  const log = sarif(sampleDocument());
  const results: SarifResult[] = log.runs[0].results;

  it('validates against the SARIF 2.1.0 schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema subset rejects what the real schema rejects', () => {
    const bad = structuredClone(log);
    bad.runs[0].results[0].level = 'fatal';
    expect(validate(bad)).toBe(false);
    const noLine = structuredClone(log);
    noLine.runs[0].results[1].locations[0].physicalLocation.region = {};
    expect(validate(noLine)).toBe(false);
  });

  it('describes every rule with its level and doc page as help', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules[0]).toEqual({
      id: 'revoke/wait-under-resv',
      shortDescription: { text: 'waits for importers under the resv' },
      help: { text: '# revoke/wait-under-resv\n\nWhy.\n', markdown: '# revoke/wait-under-resv\n\nWhy.\n' },
      defaultConfiguration: { level: 'error' },
    });
    expect(rules[2].defaultConfiguration.level).toBe('warning');
  });

  it('points results at file and new-side line, with ruleIndex into the rules', () => {
    const removed = results.find((r) => r.ruleId === 'revoke/removed-api');
    expect(removed?.level).toBe('error');
    expect(removed?.ruleIndex).toBe(1);
    expect(removed?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'drivers/dma-buf/y.c' },
      region: { startLine: 41 },
    });
  });

  it('names the mail for a finding without a file, and maps info to note', () => {
    const cover = results.find((r) => r.ruleId === 'dept/timeout-hides-deadlock');
    expect(cover?.locations[0]?.logicalLocations).toEqual([{ name: '[PATCH v7 0/3] dma-buf: revoke', kind: 'patch' }]);
    const doc = sampleDocument();
    doc.reviews = [review(series({ title: 't' }), [finding({ ruleId: 'x/y', patch: 1, severity: 'info', file: 'a b.c', line: 3 })])];
    const r = sarif(doc).runs[0].results[0];
    expect(r.level).toBe('note');
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('a%20b.c');
  });

  it('carries [S]/[W]/[E] as related locations', () => {
    const cycle = results.find((r) => r.ruleId === 'revoke/wait-under-resv');
    expect(cycle?.relatedLocations?.map((l) => [l.id, l.message.text])).toEqual([
      [1, '[S]'],
      [2, '[W]'],
      [3, '[E]'],
    ]);
  });

  it('gives fingerprints that ignore line shifts and revision but separate distinct findings', () => {
    const print = (line: number, revision: number, ruleId = 'revoke/removed-api'): string => {
      const doc = sampleDocument();
      doc.reviews = [
        review(series({ title: 'dma-buf: revoke', revision, expected: 2 }), [finding({ ruleId, patch: 2, file: 'y.c', line, message: `bad at line ${line}` })]),
      ];
      return sarif(doc).runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
    };
    expect(print(41, 6)).toBe(print(57, 7));
    expect(print(41, 7)).not.toBe(print(41, 7, 'revoke/flag-outside-resv'));
    const fps = results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it('reports input errors as tool execution notifications', () => {
    expect(log.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      { level: 'error', message: { text: 'missing.mbox: no such file or directory' } },
    ]);
  });
});
