// Where formatted text goes: stdout or a file. Kept apart from formatting so formatters stay pure.
import { writeFile } from 'node:fs/promises';
import { InputError } from '../errors.ts';

export interface Transport {
  write(text: string): Promise<void>;
}

export function stdoutTransport(stream: NodeJS.WritableStream = process.stdout): Transport {
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        stream.write(text, (err) => (err ? reject(err) : resolve()));
      }),
  };
}

export function fileTransport(path: string): Transport {
  return {
    async write(text) {
      try {
        await writeFile(path, text);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'write failed';
        throw new InputError(path, `cannot write output (${code})`);
      }
    },
  };
}
