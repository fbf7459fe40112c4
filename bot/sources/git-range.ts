// Local commits as the series `git format-patch` would send (checkpatch -g is the precedent). The
// patches are threaded shallowly (2/N .. N/N reply to 1/N) so they assemble into one series. No
// cover letter: format-patch's is a "*** SUBJECT HERE ***" template with nothing to review, and
// the series title then comes from patch 1, as b4 does for a series without a cover.
import { spawn } from 'node:child_process';
import { InputError } from '../errors.ts';
import type { RawMessage } from '../model.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../mail/parse-message.ts';
import { messagesFromStream } from './byte-stream.ts';
import type { Source } from './types.ts';

const MAX_STDERR = 16 * 1024;

export function gitRangeSource(range: string, cwd: string, opts: { maxMessageBytes?: number } = {}): Source {
  const name = `git:${range}`;
  if (range.length === 0 || range.startsWith('-')) throw new InputError(name, 'a revision range must not be empty or start with "-"');
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  return {
    name,
    async *messages(signal?: AbortSignal): AsyncGenerator<RawMessage> {
      const child = spawn('git', ['format-patch', '--stdout', '--thread=shallow', '--no-color', '--end-of-options', range], {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        signal,
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < MAX_STDERR) stderr += d.toString('utf8');
      });
      const exited = new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', resolve);
      });
      exited.catch(() => undefined);
      let count = 0;
      try {
        for await (const raw of messagesFromStream({
          source: name,
          chunks: child.stdout,
          maxBytes,
          signal,
          locator: (n, fromLine) => `@${fromLine.split(' ')[1]?.slice(0, 12) ?? n}`,
        })) {
          count++;
          yield raw;
        }
      } catch (err) {
        // An empty stdout is what a failed git gives; its stderr says why.
        if (!(err instanceof InputError)) throw err;
      } finally {
        if (child.exitCode === null) child.kill();
      }
      if (signal?.aborted) return;
      let code: number | null;
      try {
        code = await exited;
      } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        throw new InputError(name, missing ? 'git is not installed' : `git failed: ${(err as Error).message}`);
      }
      if (code !== 0) {
        const why = stderr.trim().split('\n').find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? stderr.trim().split('\n')[0];
        throw new InputError(name, `git format-patch failed: ${why || `exit code ${code}`}`);
      }
      if (count === 0) throw new InputError(name, 'the range contains no commits');
    },
  };
}
