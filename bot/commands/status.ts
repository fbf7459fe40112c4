import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RegisterCommand } from '../cli.ts';
import { EXIT_OK, InputError } from '../errors.ts';

export const DEFAULT_STATE_FILE = './deptbot-state.sqlite';

export const registerStatus: RegisterCommand = (program, setExit) => {
  program
    .command('status')
    .description('show what a watch has done: sources, checkpoints, pending series, quarantine, reviews, errors, mail outbox')
    .option('--state <file>', 'state file of the watch', DEFAULT_STATE_FILE)
    .option('--json', 'print the status as JSON')
    .action(async (flags: { state: string; json?: boolean }) => {
      const file = resolve(flags.state);
      if (!existsSync(file)) throw new InputError(flags.state, 'no such state file (has `deptbot watch` run with this --state?)');
      // Loaded on use so that the other commands start without SQLite.
      const [{ openDb }, { readWatchStatus }, { formatStatus }] = await Promise.all([
        import('../store/db.ts'),
        import('../store/watch-status.ts'),
        import('../watch/status-text.ts'),
      ]);
      const db = openDb(file, { readonly: true });
      try {
        const status = readWatchStatus(db);
        process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, flags.state));
      } finally {
        db.close();
      }
      setExit(EXIT_OK);
    });
};
