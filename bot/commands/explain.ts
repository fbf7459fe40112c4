import type { RegisterCommand } from '../cli.ts';
import { UsageError } from '../errors.ts';

// Placeholder until the command is built; replaced by its owner.
export const registerExplain: RegisterCommand = (program) => {
  program.command('explain').description('(not built yet)').action(() => {
    throw new UsageError('explain: not built yet');
  });
};
