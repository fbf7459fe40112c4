// `--format sarif`: one SARIF 2.1.0 run. Rules carry their doc page as help; results point at the
// new-side file and line; DEPT's [S]/[W]/[E] marks become relatedLocations; partialFingerprints
// stay stable across runs and line shifts so code-scanning tools can deduplicate.
import { createHash } from 'node:crypto';
import type { Review } from '../model.ts';
import type { Finding, Location, Severity } from '../../rules/engine/types.ts';
import type { Formatter, ReportDocument } from './document.ts';
import { displaySubject, messageOf, sortedFindings } from './document.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key under partialFingerprints; bump the suffix when the hashed fields change. */
export const FINGERPRINT_KEY = 'deptbotFindingHash/v1';

type SarifLevel = 'error' | 'warning' | 'note';
const levels: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

interface SarifLocation {
  id?: number;
  physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } };
  logicalLocations?: Array<{ name: string; kind: string }>;
  message?: { text: string };
}

function location(review: Review, loc: Location): SarifLocation {
  if (loc.file) {
    return {
      physicalLocation: {
        artifactLocation: { uri: encodeURI(loc.file) },
        ...(loc.line && loc.line > 0 ? { region: { startLine: loc.line } } : {}),
      },
    };
  }
  // No file (a commit message or the cover letter): name the mail instead.
  const msg = messageOf(review, loc.patch);
  const subject = msg ? displaySubject(msg.subject) : `${review.series.title} patch ${loc.patch}`;
  return { logicalLocations: [{ name: subject, kind: 'patch' }] };
}

/** Hash of what identifies a finding independent of line numbers and revision. */
function fingerprint(review: Review, f: Finding): string {
  const patchTitle = messageOf(review, f.patch)?.subject.text ?? '';
  const message = f.message.replace(/\d+/g, '#');
  const h = createHash('sha256');
  for (const part of [f.ruleId, f.file ?? '', review.series.title, patchTitle, message]) h.update(`${part}\0`);
  return h.digest('hex').slice(0, 32);
}

function results(doc: ReportDocument, ruleIndex: Map<string, number>): object[] {
  const seen = new Map<string, number>();
  return doc.reviews.flatMap((review) =>
    sortedFindings(review).map((f) => {
      const hash = fingerprint(review, f);
      const occurrence = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, occurrence);
      const index = ruleIndex.get(f.ruleId);
      return {
        ruleId: f.ruleId,
        ...(index === undefined ? {} : { ruleIndex: index }),
        level: levels[f.severity],
        message: { text: f.message },
        locations: [location(review, f)],
        ...(f.related && f.related.length > 0
          ? {
              relatedLocations: f.related.map((r, i) => ({
                id: i + 1,
                ...location(review, r),
                message: { text: r.label },
              })),
            }
          : {}),
        partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${occurrence}` },
        properties: { series: review.series.title, revision: review.series.revision, patch: f.patch },
      };
    }),
  );
}

export const formatSarif: Formatter = (doc) => {
  const ruleIndex = new Map(doc.rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: doc.tool.name,
            version: doc.tool.version,
            rules: doc.rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              ...(r.doc ? { help: { text: r.doc, markdown: r.doc } } : {}),
              defaultConfiguration: { level: levels[r.severity] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: doc.problems.map((p) => ({
              level: 'error',
              message: { text: `${p.input}: ${p.message}` },
            })),
          },
        ],
        columnKind: 'unicodeCodePoints',
        results: results(doc, ruleIndex),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
