import type { RegisterCommand } from '../cli.ts';
import { UsageError } from '../errors.ts';

// Placeholder until the command is built; replaced by its owner.
export const registerGithub: RegisterCommand = (program) => {
  program.command('github').description('(not built yet)').action(() => {
    throw new UsageError('github: not built yet');
  });
};
