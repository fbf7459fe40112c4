import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../../bot/mail/diff.ts';

const modified = `diff --git a/drivers/dma-buf/dma-buf.c b/drivers/dma-buf/dma-buf.c
index 1111111..2222222 100644
--- a/drivers/dma-buf/dma-buf.c
+++ b/drivers/dma-buf/dma-buf.c
@@ -10,3 +10,4 @@ static int dma_buf_foo(struct dma_buf *dmabuf)
 \tint ret;
-\tret = old(dmabuf);
+\tret = new(dmabuf);
+\tfoo();
 \treturn ret;
@@ -40,3 +41,2 @@
 a
-b
 c
`;

describe('parseUnifiedDiff', () => {
  it('numbers old and new lines per line and keeps the hunk section', () => {
    const [f] = parseUnifiedDiff(modified);
    expect(f).toMatchObject({ path: 'drivers/dma-buf/dma-buf.c', oldPath: 'drivers/dma-buf/dma-buf.c', status: 'modified', binary: false });
    expect(f?.hunks).toHaveLength(2);
    const h = f!.hunks[0]!;
    expect(h).toMatchObject({ oldStart: 10, oldLines: 3, newStart: 10, newLines: 4, section: 'static int dma_buf_foo(struct dma_buf *dmabuf)' });
    expect(h.lines).toEqual([
      { type: 'context', text: '\tint ret;', oldLine: 10, newLine: 10 },
      { type: 'del', text: '\tret = old(dmabuf);', oldLine: 11 },
      { type: 'add', text: '\tret = new(dmabuf);', newLine: 11 },
      { type: 'add', text: '\tfoo();', newLine: 12 },
      { type: 'context', text: '\treturn ret;', oldLine: 12, newLine: 13 },
    ]);
    const h2 = f!.hunks[1]!;
    expect(h2.section).toBe('');
    expect(h2.lines.map((l) => [l.type, l.oldLine, l.newLine])).toEqual([
      ['context', 40, 41],
      ['del', 41, undefined],
      ['context', 42, 42],
    ]);
  });

  it('handles several files, new and deleted files', () => {
    const text = `diff --git a/x.c b/x.c
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/x.c
@@ -0,0 +1,2 @@
+int a;
+int b;
diff --git a/y.h b/y.h
deleted file mode 100644
index 3333333..0000000
--- a/y.h
+++ /dev/null
@@ -1 +0,0 @@
-int y;
`;
    const [x, y] = parseUnifiedDiff(text);
    expect(x).toMatchObject({ oldPath: null, newPath: 'x.c', path: 'x.c', status: 'added', newMode: '100644' });
    expect(x?.hunks[0]?.lines.map((l) => l.newLine)).toEqual([1, 2]);
    expect(y).toMatchObject({ oldPath: 'y.h', newPath: null, path: 'y.h', status: 'deleted', oldMode: '100644' });
    expect(y?.hunks[0]?.lines).toEqual([{ type: 'del', text: 'int y;', oldLine: 1 }]);
  });

  it('reads renames and copies from the extended headers', () => {
    const text = `diff --git a/old name.c b/new name.c
similarity index 90%
rename from old name.c
rename to new name.c
index 1..2 100644
--- a/old name.c
+++ b/new name.c
@@ -1,1 +1,1 @@
-a
+b
diff --git a/p.c b/q.c
similarity index 100%
copy from p.c
copy to q.c
diff --git a/r.c b/s.c
similarity index 100%
rename from r.c
rename to s.c
`;
    const files = parseUnifiedDiff(text);
    expect(files.map((f) => [f.status, f.oldPath, f.newPath, f.hunks.length])).toEqual([
      ['renamed', 'old name.c', 'new name.c', 1],
      ['copied', 'p.c', 'q.c', 0],
      ['renamed', 'r.c', 's.c', 0],
    ]);
  });

  it('recognises mode-only changes and binary files', () => {
    const text = `diff --git a/run.sh b/run.sh
old mode 100644
new mode 100755
diff --git a/logo.png b/logo.png
index 1..2 100644
Binary files a/logo.png and b/logo.png differ
diff --git a/fw.bin b/fw.bin
new file mode 100644
index 0000000..1234567
GIT binary patch
literal 4
LcmZQzU|;|M00aO5

literal 0
HcmV?d00001

`;
    const [sh, png, bin] = parseUnifiedDiff(text);
    expect(sh).toMatchObject({ path: 'run.sh', status: 'mode', oldMode: '100644', newMode: '100755', hunks: [] });
    expect(png).toMatchObject({ path: 'logo.png', status: 'modified', binary: true, hunks: [] });
    expect(bin).toMatchObject({ path: 'fw.bin', status: 'added', binary: true });
  });

  it('does not split a file at a removed line that looks like a header', () => {
    const text = `diff --git a/doc.txt b/doc.txt
--- a/doc.txt
+++ b/doc.txt
@@ -1,3 +1,2 @@
 a
--- b
-+++ c
+x
diff --git a/e.c b/e.c
--- a/e.c
+++ b/e.c
@@ -1 +1 @@
-1
+2
`;
    const files = parseUnifiedDiff(text);
    expect(files.map((f) => f.path)).toEqual(['doc.txt', 'e.c']);
    expect(files[0]?.hunks[0]?.lines.map((l) => l.type)).toEqual(['context', 'del', 'del', 'add']);
    expect(files[0]?.hunks[0]?.lines[1]?.text).toBe('-- b');
  });

  it('ignores "No newline at end of file" markers and CRLF line ends', () => {
    const text = 'diff --git a/n.c b/n.c\r\n--- a/n.c\r\n+++ b/n.c\r\n@@ -1 +1 @@\r\n-a\r\n\\ No newline at end of file\r\n+b\r\n\\ No newline at end of file\r\n';
    const [f] = parseUnifiedDiff(text);
    expect(f?.hunks[0]?.lines).toEqual([
      { type: 'del', text: 'a', oldLine: 1 },
      { type: 'add', text: 'b', newLine: 1 },
    ]);
  });

  it('accepts plain unified diffs without git headers', () => {
    const text = `--- a/one.c\t2024-01-01 00:00:00.000000000 +0000
+++ b/one.c\t2024-01-02 00:00:00.000000000 +0000
@@ -1 +1 @@
-x
+y
--- a/two.c
+++ b/two.c
@@ -5,0 +6 @@ void f(void)
+z
`;
    const files = parseUnifiedDiff(text);
    expect(files.map((f) => f.path)).toEqual(['one.c', 'two.c']);
    expect(files[1]?.hunks[0]).toMatchObject({ newStart: 6, newLines: 1, section: 'void f(void)' });
    expect(files[1]?.hunks[0]?.lines).toEqual([{ type: 'add', text: 'z', newLine: 6 }]);
  });

  it('treats paths as text: quoted names are decoded and control characters neutralised', () => {
    const text = `diff --git "a/t\\303\\251st\\tx.c" "b/t\\303\\251st\\tx.c"
--- "a/t\\303\\251st\\tx.c"
+++ "b/t\\303\\251st\\tx.c"
@@ -1 +1 @@
-a
+b
diff --git a/../../etc/passwd b/../../etc/passwd
--- a/../../etc/passwd
+++ b/../../etc/passwd
@@ -1 +1 @@
-a
+b
`;
    const [q, evil] = parseUnifiedDiff(text);
    expect(q?.path).toBe('tést?x.c');
    expect(evil?.path).toBe('../../etc/passwd');
  });

  it('returns nothing for text without a diff', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff('Hello,\n\nthis is a cover letter.\n-- \n2.43.0\n')).toEqual([]);
  });
});
