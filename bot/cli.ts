// The command line: thin. Each command lives in bot/commands/<name>.ts and only picks sources,
// reporters and a store, then runs the pipeline.
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, InputError, UsageError, oneLine } from './errors.ts';
import { registerExplain } from './commands/explain.ts';
import { registerGithub } from './commands/github.ts';
import { registerReview } from './commands/review.ts';
import { registerRules } from './commands/rules.ts';
import { registerStatus } from './commands/status.ts';
import { registerWatch } from './commands/watch.ts';
import { VERSION } from './version.ts';

/** Runs deptbot with the given arguments (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const program = new Command('deptbot')
    .description('Review Linux kernel patch series for DEPT wait/event hazards')
    .version(VERSION)
    .option('--debug', 'show stack traces and debug logs')
    .exitOverride()
    .showHelpAfterError(false);
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  registerReview(program, setExit);
  registerRules(program, setExit);
  registerExplain(program, setExit);
  registerWatch(program, setExit);
  registerStatus(program, setExit);
  registerGithub(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (debug) console.error(err);
    else if (err instanceof InputError || err instanceof UsageError) console.error(`deptbot: ${err.message}`);
    else console.error(`deptbot: internal error: ${oneLine(err)} (run with --debug for details)`);
    return EXIT_USAGE;
  }
}

/** The signature every command module exports. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;
