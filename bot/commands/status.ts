import type { RegisterCommand } from '../cli.ts';
import { UsageError } from '../errors.ts';

// Placeholder until the command is built; replaced by its owner.
export const registerStatus: RegisterCommand = (program) => {
  program.command('status').description('(not built yet)').action(() => {
    throw new UsageError('status: not built yet');
  });
};
