// Catastrophic-backtracking probe. Each regular expression is run against long adversarial lines
// (one character or a pair pumped 100k times after the literal head of the pattern, ending in a
// character that makes the match fail) in a worker thread; a pattern whose run exceeds the hang
// limit is reported with the attack that stalled it, and the worker is replaced.
import { Worker } from 'node:worker_threads';

export interface RegexJob {
  at: string;
  source: string;
  flags: string;
}

export interface RegexVerdict {
  at: string;
  source: string;
  attacks: number;
  /** The attack description when the pattern exceeded the hang limit. */
  stalled?: string;
  worstMs: number;
}

// Plain JavaScript run inside the worker: builds the attacks from the pattern and times them.
const WORKER = String.raw`
const { parentPort } = require('node:worker_threads');
const META = '^$()[]{}|?*+.';
const CLASS_ESCAPES = /[dDwWsSbBnrtvfux0-9pPkc]/;
const FILL = [' ', '\t', 'a', '0', '-', '.', ',', '/', '(', '[', '*', '"', '\\', '<', '#', '@', '}'];
const MORE_FILL = ['Z', '_', ')', ']', '>', '=', ':', '+', '!', '&', '|', '{', ';', "'", '~', '?', '$', '%', 'x', 'é', '\u202e'];
function literals(src) {
  const set = new Set();
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { const n = src[i + 1]; if (n && !CLASS_ESCAPES.test(n)) set.add(n); i++; continue; }
    if (!META.includes(c)) set.add(c);
  }
  return [...set];
}
function heads(src) {
  const s = src.startsWith('^') ? src.slice(1) : src;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { const n = s[i + 1]; if (n && !CLASS_ESCAPES.test(n)) { out += n; i++; continue; } break; }
    if (META.includes(c)) { if ('?*{'.includes(c)) out = out.slice(0, -1); break; }
    out += c;
  }
  return out ? ['', out] : [''];
}
function attacks(src, n, thorough) {
  const lits = literals(src);
  const singles = [...new Set([...FILL, ...(thorough ? MORE_FILL : []), ...lits])];
  const pairs = [];
  if (thorough) for (const l of lits.slice(0, 24)) for (const c of [' ', 'a', '0']) if (l !== c) pairs.push(l + c);
  // A line ends in a character that fails the match; the thorough run also tries a line break,
  // for patterns applied to whole texts.
  const ends = thorough ? ['\u0000', '\u0000\n!'] : ['\u0000'];
  const out = [];
  for (const head of heads(src)) {
    for (const p of [...singles, ...pairs]) {
      for (const end of ends) {
        out.push({ label: JSON.stringify(head) + ' + ' + JSON.stringify(p) + ' x ' + n + ' + ' + JSON.stringify(end), text: head + p.repeat(Math.ceil(n / p.length)) + end });
      }
    }
  }
  return out;
}
parentPort.on('message', (job) => {
  const re = new RegExp(job.source, job.flags.replace('g', ''));
  let worst = 0;
  const list = attacks(job.source, job.length, job.thorough);
  for (const a of list) {
    parentPort.postMessage({ kind: 'attack', label: a.label });
    const t0 = performance.now();
    re.lastIndex = 0;
    re.exec(a.text);
    worst = Math.max(worst, performance.now() - t0);
  }
  parentPort.postMessage({ kind: 'done', attacks: list.length, worstMs: worst });
});
`;

export async function probeRegexes(jobs: readonly RegexJob[], opts: { length?: number; limitMs?: number; thorough?: boolean } = {}): Promise<RegexVerdict[]> {
  const length = opts.length ?? 100_000;
  const limitMs = opts.limitMs ?? 2000;
  const verdicts: RegexVerdict[] = [];
  let worker = new Worker(WORKER, { eval: true });
  try {
    for (const job of jobs) {
      const verdict = await new Promise<RegexVerdict>((resolve, reject) => {
        let label = '';
        let timer = setTimeout(stall, limitMs);
        function stall(): void {
          worker.removeAllListeners('message');
          void worker.terminate();
          worker = new Worker(WORKER, { eval: true });
          resolve({ at: job.at, source: job.source, attacks: 0, stalled: label, worstMs: limitMs });
        }
        worker.on('message', (m: { kind: string; label?: string; attacks?: number; worstMs?: number }) => {
          if (m.kind === 'attack') {
            label = m.label ?? '';
            clearTimeout(timer);
            timer = setTimeout(stall, limitMs);
            return;
          }
          clearTimeout(timer);
          worker.removeAllListeners('message');
          worker.removeAllListeners('error');
          resolve({ at: job.at, source: job.source, attacks: m.attacks ?? 0, worstMs: m.worstMs ?? 0 });
        });
        worker.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        worker.postMessage({ source: job.source, flags: job.flags, length, thorough: opts.thorough === true });
      });
      verdicts.push(verdict);
    }
  } finally {
    await worker.terminate();
  }
  return verdicts;
}
