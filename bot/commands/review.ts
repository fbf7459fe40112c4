import type { RegisterCommand } from '../cli.ts';
import { UsageError } from '../errors.ts';

// Placeholder until the command is built; replaced by its owner.
export const registerReview: RegisterCommand = (program) => {
  program.command('review').description('(not built yet)').action(() => {
    throw new UsageError('review: not built yet');
  });
};
