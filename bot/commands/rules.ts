import type { RegisterCommand } from '../cli.ts';
import type { Rule } from '../../rules/engine/types.ts';

/** The table `deptbot rules` prints: id, severity, description, columns aligned. */
export function rulesTable(rules: readonly Rule[]): string {
  if (rules.length === 0) return 'no rules registered\n';
  const rows = [['ID', 'SEVERITY', 'DESCRIPTION'], ...rules.map(({ meta }) => [meta.id, meta.severity, meta.description])];
  const idWidth = Math.max(...rows.map((r) => r[0]?.length ?? 0));
  const sevWidth = Math.max(...rows.map((r) => r[1]?.length ?? 0));
  return rows.map(([id = '', sev = '', desc = '']) => `${id.padEnd(idWidth)}  ${sev.padEnd(sevWidth)}  ${desc}`.trimEnd()).join('\n') + '\n';
}

export const registerRules: RegisterCommand = (program) => {
  program
    .command('rules')
    .description('list every rule with its default severity and a one-line description')
    .action(async () => {
      // Loaded on use so that the other commands start without the rule engine.
      const { allRules } = await import('../../rules/index.ts');
      process.stdout.write(rulesTable(allRules));
    });
};
