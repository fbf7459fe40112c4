// Errors meant for users: one line naming the input and the problem. Anything else is a bug and
// is shown with its stack only under --debug.

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A bad input (file, message, config, flag): reported as "<input>: <problem>". */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`${input}: ${problem}`);
  }
}

/** A usage error of a command line: reported as is, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One line for the user: the message of a known error, or a short form of an unknown one. */
export function oneLine(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err).split('\n')[0] ?? 'unknown error';
}
