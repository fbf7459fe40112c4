import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../bot/cli.ts';
import { explainRule } from '../../../bot/commands/explain.ts';
import { rulesTable } from '../../../bot/commands/rules.ts';
import { InputError } from '../../../bot/errors.ts';
import { defineRule } from '../../../rules/engine/define-rule.ts';
import { allRules } from '../../../rules/index.ts';

const rule = (id: string, severity: 'error' | 'warning' | 'info', description: string) =>
  defineRule({ meta: { id, severity, description, messages: { m: 'm' }, triggers: [], scope: 'patch' }, check() {} });

describe('rulesTable', () => {
  it('aligns id, severity and description columns under a header', () => {
    const table = rulesTable([rule('revoke/removed-api', 'error', 'uses removed API'), rule('fs/x', 'warning', 'pseudo fs')]);
    expect(table).toBe(
      [
        'ID                  SEVERITY  DESCRIPTION',
        'revoke/removed-api  error     uses removed API',
        'fs/x                warning   pseudo fs',
        '',
      ].join('\n'),
    );
  });
});

describe('explainRule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-rules-'));
  mkdirSync(join(dir, 'revoke'));
  writeFileSync(join(dir, 'revoke/removed-api.md'), '# revoke/removed-api\n\nWhy it matters.');
  const rules = [rule('revoke/removed-api', 'error', 'd'), rule('revoke/no-doc', 'warning', 'd')];

  it('prints the doc page of a known rule', () => {
    expect(explainRule('revoke/removed-api', rules, dir)).toBe('# revoke/removed-api\n\nWhy it matters.\n');
  });

  it('rejects unknown ids and rules without a page in one line', () => {
    expect(() => explainRule('revoke/nope', rules, dir)).toThrow(new InputError('revoke/nope', 'unknown rule id (see `deptbot rules`)'));
    expect(() => explainRule('revoke/no-doc', rules, dir)).toThrow('revoke/no-doc: no doc page at rules/revoke/no-doc.md');
    expect(() => explainRule('../../etc/passwd', rules, dir)).toThrow('unknown rule id');
  });
});

describe('deptbot rules / explain through main()', () => {
  afterEach(() => vi.restoreAllMocks());

  function captured() {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void (err += `${args.join(' ')}\n`));
    return { out: () => out, err: () => err };
  }

  it('lists every registered rule', async () => {
    const io = captured();
    expect(await main(['rules'])).toBe(0);
    for (const r of allRules) expect(io.out()).toContain(r.meta.id);
  });

  it('explain with an unknown id exits 2 with one line on stderr', async () => {
    const io = captured();
    expect(await main(['explain', 'no/such-rule'])).toBe(2);
    expect(io.err()).toBe('deptbot: no/such-rule: unknown rule id (see `deptbot rules`)\n');
    expect(io.out()).toBe('');
  });

  it.runIf(allRules.some((r) => r.meta.id === 'revoke/removed-api'))('explain prints a real doc page', async () => {
    const io = captured();
    expect(await main(['explain', 'revoke/removed-api'])).toBe(0);
    expect(io.out()).toMatch(/removed-api/);
  });
});
