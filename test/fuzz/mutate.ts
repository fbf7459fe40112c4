// Mutations of real messages: truncated, bytes flipped, lines duplicated, charset swapped, plus
// headers and bodies blown up to hostile sizes. Each is a fast-check arbitrary with a label.
import fc from 'fast-check';

export interface Mutation {
  label: string;
  apply(data: Buffer): Buffer;
}

const fraction = fc.double({ min: 0, max: 1, noNaN: true });

const truncate: fc.Arbitrary<Mutation> = fraction.map((f) => ({
  label: `truncate@${f.toFixed(3)}`,
  apply: (d) => d.subarray(0, Math.floor(d.length * f)),
}));

const flip: fc.Arbitrary<Mutation> = fc.array(fc.tuple(fraction, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }).map((flips) => ({
  label: `flip x${flips.length}`,
  apply: (d) => {
    const copy = Buffer.from(d);
    if (copy.length === 0) return copy;
    for (const [at, byte] of flips) copy[Math.floor(at * (copy.length - 1))] = byte;
    return copy;
  },
}));

const duplicateLines: fc.Arbitrary<Mutation> = fc.tuple(fraction, fc.integer({ min: 1, max: 200 })).map(([at, times]) => ({
  label: `dup-line@${at.toFixed(3)}x${times}`,
  apply: (d) => {
    const lines = d.toString('latin1').split('\n');
    const i = Math.floor(at * (lines.length - 1));
    lines.splice(i, 0, ...Array<string>(times).fill(lines[i] ?? ''));
    return Buffer.from(lines.join('\n'), 'latin1');
  },
}));

const CHARSETS = ['iso-8859-1', 'koi8-r', 'shift_jis', 'utf-7', 'utf-16', 'gb18030', 'x-bogus', '', '"'];
const swapCharset: fc.Arbitrary<Mutation> = fc.constantFrom(...CHARSETS).map((cs) => ({
  label: `charset=${cs}`,
  apply: (d) => {
    const text = d.toString('latin1');
    const swapped = /charset=/i.test(text)
      ? text.replace(/charset="?[\w-]+"?/gi, `charset="${cs}"`)
      : text.replace(/\n\n/, `\nContent-Type: text/plain; charset="${cs}"\n\n`);
    return Buffer.from(swapped, 'latin1');
  },
}));

/** Hostile sizes: one header or one body line repeated into a 100k-character line. */
const blowUp: fc.Arbitrary<Mutation> = fc.constantFrom('Subject: ', 'References: ', 'From: ', '+', ' ', '@@ -1,1 +1,1 @@ ').map((head) => ({
  label: `long-line ${JSON.stringify(head)}`,
  apply: (d) => {
    const text = d.toString('latin1');
    const fill = head.startsWith('References') ? '<a@b> '.repeat(16_000) : head.startsWith('From') ? 'x '.repeat(50_000) : '('.repeat(100_000);
    const at = head.endsWith(': ') ? text.indexOf('\n') + 1 : Math.max(0, text.indexOf('\n+'));
    return Buffer.from(`${text.slice(0, at)}${head}${fill}\n${text.slice(at)}`, 'latin1');
  },
}));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(truncate, flip, duplicateLines, swapCharset, blowUp);

/** One to three mutations in a row. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 3 });

export function applyAll(data: Buffer, list: readonly Mutation[]): Buffer {
  return list.reduce((d, m) => m.apply(d), data);
}
