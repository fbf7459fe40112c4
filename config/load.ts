// Loads deptbot.config.yaml: YAML -> zod schema -> known rule ids. Every error is one line that
// names the file and the key path, e.g. "deptbot.config.yaml: rules.x/y: expected one of ...".
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../bot/errors.ts';
import { refuseExposedSecrets } from '../bot/security/secrets.ts';
import { configSchema, defaultConfig, type Config } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'deptbot.config.yaml';

export interface LoadConfigOptions {
  /** --config FILE; without it ./deptbot.config.yaml is used when present. */
  file?: string;
  cwd?: string;
  /** Rule ids that `rules:` may name (allRules). */
  ruleIds: readonly string[];
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from, as the user would name it; undefined for the built-in default. */
  file?: string;
}

export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const name = opts.file ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(resolve(cwd, name), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!opts.file && code === 'ENOENT') return { config: defaultConfig() };
    throw new InputError(name, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`);
  }
  // [hardening] A secret in a file that group or others can read is refused (bot/security/secrets.ts).
  const mode = (await stat(resolve(cwd, name)).catch(() => undefined))?.mode ?? 0;
  refuseExposedSecrets(name, text, mode);
  return { config: parseConfig(text, name, opts.ruleIds), file: name };
}

/** Parses and validates config text; `name` is used in error messages only. */
export function parseConfig(text: string, name: string, ruleIds: readonly string[]): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw new InputError(name, `${line ? `line ${line}: ` : ''}invalid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue) throw new InputError(name, describeIssue(issue));
  }
  const config = result.success ? result.data : defaultConfig();
  const known = new Set(ruleIds);
  const unknown = Object.keys(config.rules).find((id) => !known.has(id));
  if (unknown !== undefined) throw new InputError(name, `rules.${unknown}: unknown rule id (see \`deptbot rules\`)`);
  return config;
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** One line for a zod issue: "<key.path>: <what was expected>". */
function describeIssue(issue: z.core.$ZodIssue): string {
  const at = (path: readonly PropertyKey[]): string => (path.length > 0 ? `${keyPath(path)}: ` : '');
  switch (issue.code) {
    case 'invalid_value':
      return `${at(issue.path)}expected one of ${issue.values.map(String).join('|')}`;
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? `${keyPath([...issue.path, issue.keys[0] ?? ''])}: unknown key`
        : `${at(issue.path)}unknown keys ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return `${at(issue.path)}expected ${issue.expected}`;
    default:
      return `${at(issue.path)}${issue.message}`;
  }
}
