// Format name -> pure formatter. Adding an output format is one line here.
import type { Formatter } from './document.ts';
import { formatJson } from './format-json.ts';
import { formatSarif } from './format-sarif.ts';
import { formatText } from './format-text.ts';
import { formatEmail } from './format-email.ts';

export const formats: Readonly<Record<string, Formatter>> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  email: formatEmail,
};

export const formatNames = (): string[] => Object.keys(formats);

export function formatterFor(name: string): Formatter | undefined {
  return Object.hasOwn(formats, name) ? formats[name] : undefined;
}
