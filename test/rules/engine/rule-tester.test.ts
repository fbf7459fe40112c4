import { describe, expect, it } from 'vitest';
import { defineRule } from '../../../rules/engine/define-rule.ts';
import { compareFindings, findingsOf, testRule } from '../../../rules/engine/rule-tester.ts';
import { recountHunks, syntheticSeries } from '../../../rules/engine/synthetic-series.ts';
import type { Finding } from '../../../rules/engine/types.ts';

/** Test-only rule: every added call of frob() is reported; a call in an `if` gets another message. */
const fakeRule = defineRule({
  meta: {
    id: 'test/frob',
    severity: 'warning',
    description: 'reports frob()',
    messages: { frob: 'frob({{arg}}) called', frobIf: 'frob under a condition' },
    triggers: ['frob'],
    scope: 'patch',
  },
  check(ctx) {
    for (const fn of ctx.functions) {
      if (fn.image !== 'new') continue;
      for (const f of fn.facts) {
        if (f.kind !== 'call' || f.callee !== 'frob' || !f.changed) continue;
        ctx.report({ messageId: f.conditions.length > 0 ? 'frobIf' : 'frob', patch: fn.patch, file: fn.file, line: f.line, data: { arg: f.args[0] ?? '' } });
      }
    }
  },
});

const hunk = (body: string, file = 'drivers/x.c'): string =>
  `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -10,1 +10,1 @@ static int foo(void)\n${body}`;

testRule(fakeRule, {
  valid: [
    { name: 'no call', diff: hunk(' \tint x;\n+\tx = 1;\n') },
    { name: 'only deleted', diff: hunk('-\tfrob(1);\n+\tfrub(1);\n') },
    { name: 'not a C file', diff: hunk('+\tfrob(1);\n', 'Documentation/x.rst') },
  ],
  invalid: [
    { name: 'one call, miscounted hunk header', diff: hunk(' \tint x;\n+\tfrob(1);\n+\tfrob(2);\n'), errors: [{ file: 'drivers/x.c', line: 11, messageId: 'frob' }, { file: 'drivers/x.c', line: 12 }] },
    { name: 'in an if', diff: hunk('+\tif (a)\n+\t\tfrob(a);\n'), errors: [{ file: 'drivers/x.c', line: 11, messageId: 'frobIf' }] },
    {
      name: 'second patch of two, as a format-patch mail',
      diff: ['', `From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH 2/2] x\n\nMore frob.\n---\n${hunk('+\tfrob(3);\n')}`],
      errors: [{ file: 'drivers/x.c', line: 10, patch: 2 }],
    },
  ],
});

describe('rule tester internals', () => {
  const f = (line: number, messageId = 'frob', patch = 1): Finding => ({ ruleId: 'test/frob', severity: 'warning', message: 'm', messageId, patch, file: 'a.c', line });

  it('matches each expected error to one finding', () => {
    const r = compareFindings([f(1), f(1), f(2, 'frobIf')], [{ file: 'a.c', line: 1 }, { file: 'a.c', line: 2, messageId: 'frob' }]);
    expect(r.missing).toEqual([{ file: 'a.c', line: 2, messageId: 'frob' }]);
    expect(r.unexpected.map((x) => x.line)).toEqual([1, 2]);
  });

  it('checks the patch only when given', () => {
    expect(compareFindings([f(3, 'frob', 2)], [{ file: 'a.c', line: 3 }]).missing).toEqual([]);
    expect(compareFindings([f(3, 'frob', 2)], [{ file: 'a.c', line: 3, patch: 1 }]).missing).toHaveLength(1);
  });

  it('fills message templates in findings', async () => {
    const found = await findingsOf(fakeRule, { name: 'x', diff: hunk('+\tfrob(dev->x);\n') });
    expect(found.map((x) => x.message)).toEqual(['frob(dev->x) called']);
  });

  it('recounts hunk headers and keeps a commit message from the mail', () => {
    expect(recountHunks('@@ -1,9 +1,9 @@ f\n a\n-b\n+c\n+d\n')).toBe('@@ -1,2 +1,3 @@ f\n a\n-b\n+c\n+d\n');
    const s = syntheticSeries('t', ['Subject: x\n\nFix a hang.\n---\n diff.c | 1 +\n' + hunk('+\tfrob(1);\n')]);
    expect(s.patches[0]?.commitMessage).toBe('Fix a hang.');
    expect(s.patches[0]?.files[0]?.hunks[0]?.lines).toHaveLength(1);
  });
});
