import type { RegisterCommand } from '../cli.ts';
import { UsageError } from '../errors.ts';

// Placeholder until the command is built; replaced by its owner.
export const registerRules: RegisterCommand = (program) => {
  program.command('rules').description('(not built yet)').action(() => {
    throw new UsageError('rules: not built yet');
  });
};
