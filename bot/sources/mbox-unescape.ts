// mboxrd/mboxo un-escaping of one message: a line that is ">From ", ">>From ", ... loses one ">".
// The scan looks for ">From " itself rather than every quoted line ("> ..." is on most lines of a
// reply), so a message without escapes costs one native search and no allocation.

const LF = 10;
const GT = 62;
const GT_FROM = Buffer.from('>From ');

/** ">From " -> "From ", ">>From " -> ">From " at line starts; copies only when there is one. */
export function unescapeFromLines(data: Buffer): Buffer {
  let cuts: number[] | null = null;
  let i = data.indexOf(GT_FROM);
  while (i >= 0) {
    // The ">" run this "From " ends must start its line for the line to be an escaped one.
    let runStart = i;
    while (runStart > 0 && data[runStart - 1] === GT) runStart--;
    if (runStart === 0 || data[runStart - 1] === LF) (cuts ??= []).push(runStart);
    i = data.indexOf(GT_FROM, i + GT_FROM.length);
  }
  return cuts === null ? data : withoutBytesAt(data, cuts);
}

/** A copy of data without the byte at each (ascending) offset in cuts. */
function withoutBytesAt(data: Buffer, cuts: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(data.length - cuts.length);
  let from = 0;
  let to = 0;
  for (const cut of cuts) {
    to += data.copy(out, to, from, cut);
    from = cut + 1;
  }
  data.copy(out, to, from);
  return out;
}
