// Synthetic kernel-like list traffic at N times an archive, for the scaling part of the bench:
// copy 1 is the archive as it is; copies 2..N are its messages with Message-IDs, In-Reply-To,
// References, change-ids and patch titles made unique per copy (so every copy is new series, not
// resends); every copy also gets generated series (cover + patches of C code with locks, waits and
// events) with unique ids, mixed in between the real messages. Written as a plain mbox, streaming.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { lineBatches, openBytes } from './bytes.ts';

export interface GenerateOptions {
  archive: string;
  out: string;
  factor: number;
  /** One generated series after every `every` real messages (default 250). */
  every?: number;
}

export interface GenerateResult {
  messages: number;
  generatedSeries: number;
  bytes: number;
}

const FROM_LINE = /^From \S+ +\w{3},? +\w{3} +\d/;
const ID_HEADERS = /^(message-id|in-reply-to|references):/i;

export async function generateTraffic(opts: GenerateOptions): Promise<GenerateResult> {
  const ws = createWriteStream(opts.out);
  const result: GenerateResult = { messages: 0, generatedSeries: 0, bytes: 0 };
  const every = opts.every ?? 250;
  const write = async (text: string): Promise<void> => {
    result.bytes += Buffer.byteLength(text, 'latin1');
    if (!ws.write(text, 'latin1')) await once(ws, 'drain');
  };
  for (let copy = 1; copy <= opts.factor; copy++) {
    let message: string[] = [];
    let inCopy = 0;
    const flush = async (): Promise<void> => {
      if (message.length === 0) return;
      await write(`${(copy === 1 ? message : rewriteMessage(message, copy)).join('\n')}\n`);
      result.messages++;
      message = [];
      if (++inCopy % every === 0) {
        for (const m of generatedSeries(copy, inCopy / every)) await write(m);
        result.messages += 4;
        result.generatedSeries++;
      }
    };
    for await (const batch of lineBatches(await openBytes(opts.archive))) {
      for (const line of batch) {
        if (line.startsWith('From ') && FROM_LINE.test(line)) await flush();
        message.push(line);
      }
    }
    await flush();
  }
  ws.end();
  await once(ws, 'finish');
  return result;
}

/**
 * Copy `copy` of a real message: its ids, change-id and patch title made unique to the copy, and
 * its diff lines given trailing blanks, so that the review cannot reuse the facts of an earlier
 * copy's hunks (the code means the same; only its text differs).
 */
export function rewriteMessage(lines: readonly string[], copy: number): string[] {
  const out = [...lines];
  let inHeaders = true;
  let idHeader = false;
  let inDiff = false;
  const blanks = ' '.repeat(copy - 1);
  for (let i = 1; i < out.length; i++) {
    const line = out[i] ?? '';
    if (!inHeaders && line.startsWith('diff --git ')) inDiff = true;
    if (inDiff) {
      if (/^[-+ ]./.test(line) && !/^(?:\+\+\+|---) /.test(line) && line !== '-- ') out[i] = `${line}${blanks}`;
      continue;
    }
    if (inHeaders) {
      if (line === '' || line === '\r') {
        inHeaders = false;
        continue;
      }
      if (!/^[ \t]/.test(line)) idHeader = ID_HEADERS.test(line);
      if (idHeader) out[i] = line.replace(/<([^<>@\s]+)@([^<>\s]+)>/g, `<$1.g${copy}@$2>`);
      else if (/^subject:\s*\[/i.test(line) && !line.includes('=?')) out[i] = line.replace(/^(subject:\s*(?:\[[^\]]*\]\s*)+)/i, `$1g${copy} `);
    } else if (/^change-id:\s*\S/i.test(line)) {
      out[i] = `${line.trimEnd()}-g${copy}`;
    }
  }
  return out;
}

const DATE = 'Mon, 1 Jan 2024 00:00:00 +0000';

/** One generated series: a cover letter and 3 patches touching a driver with locks and waits. */
export function generatedSeries(copy: number, n: number): string[] {
  const id = (k: number): string => `<gen.${copy}.${n}.${k}@deptbot.bench>`;
  const title = `drm/gen${copy}x${n}: rework fence signalling`;
  const head = (k: number, subject: string): string[] => [
    `From gen-${copy}-${n}-${k}@deptbot.bench Mon Jan  1 00:00:00 2024`,
    `From: Bench Author <bench${n % 17}@deptbot.bench>`,
    `Subject: [PATCH ${k}/3] ${subject}`,
    `Date: ${DATE}`,
    `Message-ID: ${id(k)}`,
    ...(k > 0 ? [`In-Reply-To: ${id(0)}`, `References: ${id(0)}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    '',
  ];
  const out: string[] = [[...head(0, title), 'This series reworks fence signalling of a synthetic driver.', '', '-- ', '2.43.0', ''].join('\n')];
  for (let k = 1; k <= 3; k++) {
    const fn = `gen${copy}_${n}_step${k}`;
    const body = [
      `Step ${k} of the rework.`,
      '',
      `Signed-off-by: Bench Author <bench${n % 17}@deptbot.bench>`,
      '---',
      ` drivers/gpu/drm/gen/gen${k}.c | 12 ++++++++++--`,
      ' 1 file changed, 10 insertions(+), 2 deletions(-)',
      '',
      `diff --git a/drivers/gpu/drm/gen/gen${k}.c b/drivers/gpu/drm/gen/gen${k}.c`,
      'index 1111111..2222222 100644',
      `--- a/drivers/gpu/drm/gen/gen${k}.c`,
      `+++ b/drivers/gpu/drm/gen/gen${k}.c`,
      `@@ -10,8 +10,16 @@ static int ${fn}(struct gen_dev *gdev)`,
      ' {',
      ' \tint ret;',
      ' ',
      '-\tspin_lock(&gdev->lock);',
      '-\tgdev->busy = true;',
      '+\tspin_lock_irq(&gdev->lock);',
      '+\tgdev->busy = true;',
      '+\tspin_unlock_irq(&gdev->lock);',
      '+\tret = wait_for_completion_timeout(&gdev->done, HZ);',
      '+\tif (!ret)',
      '+\t\treturn -ETIMEDOUT;',
      '+\tmutex_lock(&gdev->mutex);',
      '+\tcomplete(&gdev->idle);',
      '+\tmutex_unlock(&gdev->mutex);',
      ' \tdma_fence_signal(gdev->fence);',
      ' \treturn 0;',
      ' }',
      '-- ',
      '2.43.0',
      '',
    ];
    out.push([...head(k, title), ...body].join('\n'));
  }
  return out.map((m) => `${m}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const [archive, out, factor] = process.argv.slice(2);
  if (!archive || !out) throw new Error('usage: generate.ts ARCHIVE OUT [FACTOR]');
  console.log(await generateTraffic({ archive, out, factor: Number(factor ?? 2) }));
}
