// Secrets (passwords, tokens, keys) come from the environment, or from files only their owner can
// read. A configuration file that names a secret and is readable by group or others is refused,
// whatever the secret is for: it may be copied, shared or committed as it is.
import { parse } from 'yaml';
import { InputError } from '../errors.ts';

/** Key names that hold a secret; "...File"/"...Path" keys name a file and are not secrets. */
const SECRET_KEY = /pass(?:word|wd|phrase)?$|token|secret|api[-_]?key|private[-_]?key|credential/i;
const FILE_KEY = /(?:file|path)$/i;

/** Dotted paths of the keys in `data` whose names say they hold a secret with a value. */
export function secretKeyPaths(data: unknown, prefix = '', depth = 0): string[] {
  if (depth > 20 || data === null || typeof data !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const filled = value !== null && value !== undefined && value !== '' && typeof value !== 'object';
    if (filled && SECRET_KEY.test(key) && !FILE_KEY.test(key)) out.push(path);
    else out.push(...secretKeyPaths(value, path, depth + 1));
  }
  return out;
}

/** Throws when the config text holds a secret and `mode` lets group or others read the file. */
export function refuseExposedSecrets(name: string, text: string, mode: number): void {
  if ((mode & 0o077) === 0) return;
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    // Broken YAML is reported by the config parser, with its line.
    return;
  }
  const found = secretKeyPaths(data);
  if (found.length === 0) return;
  throw new InputError(
    name,
    `${found[0]}: a secret in a file others can read (mode ${(mode & 0o777).toString(8)}); remove it and use the environment (see SECURITY.md), or chmod 600 the file`,
  );
}
