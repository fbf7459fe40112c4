import type { RegisterCommand } from '../cli.ts';
import { UsageError } from '../errors.ts';

// Placeholder until the command is built; replaced by its owner.
export const registerWatch: RegisterCommand = (program) => {
  program.command('watch').description('(not built yet)').action(() => {
    throw new UsageError('watch: not built yet');
  });
};
