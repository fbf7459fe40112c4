// Mail for the watcher's tests: IMAP APPEND through imapflow, synthetic patch series shaped like
// git send-email's output, and messages taken from the shared archive.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ImapFlow } from 'imapflow';
import { splitMbox } from '../../bot/sources/mbox-split.ts';
import { corpusPath } from './corpus.ts';
import type { Dovecot } from './dovecot.ts';

export async function imapClient(d: Dovecot): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: d.host,
    port: d.port,
    secure: false,
    auth: { user: d.user, pass: d.password },
    logger: false,
    disableAutoIdle: true,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Appends each message on its own short connection-less loop over one client; returns their UIDs. */
export async function appendMessages(d: Dovecot, messages: readonly Buffer[], folder = 'INBOX'): Promise<number[]> {
  const client = await imapClient(d);
  try {
    const uids: number[] = [];
    for (const m of messages) {
      const res = await client.append(folder, m);
      if (res && typeof res === 'object' && res.uid) uids.push(res.uid);
    }
    return uids;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export interface SyntheticSeries {
  cover?: Buffer;
  /** patches[i] is patch i+1. */
  patches: Buffer[];
  coverId: string;
  title: string;
}

let seq = 0;

/** A series as git send-email sends it: cover 0/N, patches threaded under the cover, each with a small diff. */
export function makeSeries(opts: { title: string; n: number; revision?: number; cover?: boolean; tag?: string; inReplyTo?: string }): SyntheticSeries {
  const tag = opts.tag ?? `s${++seq}-${process.pid}-${Date.now()}`;
  const v = opts.revision && opts.revision > 1 ? ` v${opts.revision}` : '';
  const width = String(opts.n).length;
  const pad = (i: number): string => String(i).padStart(width, '0');
  const coverId = `${tag}-0@test.example`;
  const withCover = opts.cover ?? true;
  const threadRoot = withCover ? coverId : `${tag}-1@test.example`;
  const refsFor = (i: number): string[] => {
    const own: string[] = opts.inReplyTo ? [opts.inReplyTo] : [];
    if (i === 0) return own;
    if (withCover) return [...own, coverId];
    return i === 1 ? own : [...own, threadRoot];
  };
  const message = (i: number, subject: string, body: string): Buffer => {
    const refs = refsFor(i);
    const headers = [
      `From: Test Author <author@test.example>`,
      `To: list@test.example`,
      `Date: ${new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toUTCString()}`,
      `Subject: ${subject}`,
      `Message-ID: <${tag}-${i}@test.example>`,
      ...(refs.length > 0 ? [`In-Reply-To: <${refs[refs.length - 1]}>`, `References: ${refs.map((r) => `<${r}>`).join(' ')}`] : []),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
    ];
    return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}`);
  };
  const patches: Buffer[] = [];
  for (let i = 1; i <= opts.n; i++) {
    const file = `drivers/test/${tag.replace(/[^a-z0-9]/gi, '')}_${i}.c`;
    const body = [
      `Change ${i} of ${opts.title}.`,
      '',
      'Signed-off-by: Test Author <author@test.example>',
      '---',
      ` ${file} | 1 +`,
      ' 1 file changed, 1 insertion(+)',
      '',
      `diff --git a/${file} b/${file}`,
      'index 1111111..2222222 100644',
      `--- a/${file}`,
      `+++ b/${file}`,
      '@@ -1,3 +1,4 @@ int f(void)',
      ' {',
      '+\tint x = 0;',
      ' \treturn 0;',
      ' }',
      '-- ',
      '2.43.0',
      '',
    ].join('\n');
    patches.push(message(i, `[PATCH${v} ${pad(i)}/${opts.n}] test: ${opts.title} part ${i}`, body));
  }
  const cover = withCover ? message(0, `[PATCH${v} ${pad(0)}/${opts.n}] ${opts.title}`, `Cover letter for ${opts.title}.\n\n-- \n2.43.0\n`) : undefined;
  return { ...(cover ? { cover } : {}), patches, coverId, title: opts.title };
}

/** The first `count` messages of the shared linaro-mm-sig archive (read from ../shared/corpus). */
export async function archiveMessages(count: number, skip = 0): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let index = 0;
  const stream = createReadStream(corpusPath('linaro-mm-sig-2019-2026q1.mbox.gz')).pipe(createGunzip());
  try {
    for await (const m of splitMbox(stream, 64 * 1024 * 1024)) {
      if (index++ < skip) continue;
      out.push(m.data);
      if (out.length >= count) break;
    }
  } finally {
    stream.destroy();
  }
  return out;
}
