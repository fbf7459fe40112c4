import type { RegisterCommand } from '../cli.ts';
import type { Rule } from '../../rules/engine/types.ts';
import { InputError } from '../errors.ts';
import { readRuleDoc, rulesDir } from '../rule-docs.ts';

/** The doc page of a rule; an unknown id or a missing page is a one-line InputError (exit 2). */
export function explainRule(id: string, rules: readonly Rule[], dir: string = rulesDir): string {
  if (!rules.some((r) => r.meta.id === id)) throw new InputError(id, 'unknown rule id (see `deptbot rules`)');
  const doc = readRuleDoc(id, dir);
  if (doc === undefined) throw new InputError(id, `no doc page at rules/${id}.md`);
  return doc.endsWith('\n') ? doc : `${doc}\n`;
}

export const registerExplain: RegisterCommand = (program) => {
  program
    .command('explain')
    .description("print a rule's doc page: what it flags, why, bad and good code, how to silence it")
    .argument('<id>', 'rule id, e.g. revoke/removed-api')
    .action(async (id: string) => {
      // Loaded on use so that the other commands start without the rule engine.
      const { allRules } = await import('../../rules/index.ts');
      process.stdout.write(explainRule(id, allRules));
    });
};
