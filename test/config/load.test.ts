import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../config/load.ts';
import { InputError } from '../../bot/errors.ts';

const ruleIds = ['revoke/removed-api', 'cma/charge-leak'];

function errorOf(text: string, name = 'deptbot.config.yaml'): string {
  try {
    parseConfig(text, name, ruleIds);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseConfig', () => {
  it('accepts rule severities and review options, with defaults for the rest', () => {
    const c = parseConfig('rules:\n  revoke/removed-api: warning\n  cma/charge-leak: off\nreview:\n  failOn: warning\n', 'x.yaml', ruleIds);
    expect(c.rules).toEqual({ 'revoke/removed-api': 'warning', 'cma/charge-leak': 'off' });
    expect(c.review).toEqual({ failOn: 'warning', format: 'text' });
  });

  it('treats an empty file as all defaults', () => {
    expect(parseConfig('', 'x.yaml', ruleIds).review.failOn).toBe('error');
  });

  it('names the file and key path of a bad severity', () => {
    expect(errorOf('rules:\n  revoke/removed-api: fatal\n')).toBe(
      'deptbot.config.yaml: rules.revoke/removed-api: expected one of error|warning|info|off',
    );
  });

  it('rejects unknown rule ids', () => {
    expect(errorOf('rules:\n  revoke/no-such-rule: error\n')).toBe(
      'deptbot.config.yaml: rules.revoke/no-such-rule: unknown rule id (see `deptbot rules`)',
    );
  });

  it('rejects unknown keys and sections with their path', () => {
    expect(errorOf('review:\n  failon: error\n')).toBe('deptbot.config.yaml: review.failon: unknown key');
    expect(errorOf('reviews: {}\n')).toBe('deptbot.config.yaml: reviews: unknown key');
  });

  it('names the expected type', () => {
    expect(errorOf('rules: [a, b]\n', 'my.yaml')).toBe('my.yaml: rules: expected record');
  });

  it('reports YAML syntax errors with the line, on one line', () => {
    const msg = errorOf('rules:\n  revoke/removed-api: [error\n');
    expect(msg).toMatch(/^deptbot\.config\.yaml: line \d+: invalid YAML: /);
    expect(msg).not.toContain('\n');
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deptbot-config-'));

  it('uses the built-in default when ./deptbot.config.yaml is absent', async () => {
    const loaded = await loadConfig({ cwd: dir, ruleIds });
    expect(loaded.file).toBeUndefined();
    expect(loaded.config.rules).toEqual({});
  });

  it('reads ./deptbot.config.yaml when present', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'deptbot-config-'));
    writeFileSync(join(cwd, 'deptbot.config.yaml'), 'rules:\n  cma/charge-leak: info\n');
    const loaded = await loadConfig({ cwd, ruleIds });
    expect(loaded.file).toBe('deptbot.config.yaml');
    expect(loaded.config.rules).toEqual({ 'cma/charge-leak': 'info' });
  });

  it('fails with the file name when --config names a missing file', async () => {
    await expect(loadConfig({ cwd: dir, file: 'nope.yaml', ruleIds })).rejects.toThrow('nope.yaml: no such file');
  });
});
