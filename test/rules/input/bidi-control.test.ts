import rule from '../../../rules/input/bidi-control.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';

// The characters are written as escapes so that this file itself stays readable.
const RLO = '\u202e';
const LRI = '\u2066';
const PDI = '\u2069';
const ZWSP = '\u200b';
const ZWNJ = '\u200c';

function cDiff(added: string, removed = ''): string {
  return [
    'diff --git a/drivers/dma-buf/dma-buf.c b/drivers/dma-buf/dma-buf.c',
    'index 1111111..2222222 100644',
    '--- a/drivers/dma-buf/dma-buf.c',
    '+++ b/drivers/dma-buf/dma-buf.c',
    `@@ -10,3 +10,${removed ? 3 : 4} @@ static int dma_buf_check(struct dma_buf *dmabuf)`,
    ' {',
    ...(removed ? [`-${removed}`] : []),
    `+${added}`,
    ' \treturn 0;',
    ' }',
    '',
  ].join('\n');
}

testRule(rule, {
  valid: [
    { name: 'plain ASCII code', diff: cDiff('\tif (!dmabuf->ops) /* no ops */') },
    {
      name: 'the control character only on a deleted line',
      diff: cDiff('\t/* admins only */', `\t/* admins only ${RLO} } ${LRI}if (is_admin)${PDI} */`),
    },
    {
      name: 'a joiner between letters of a script that needs it (Persian documentation)',
      diff: [
        'diff --git a/Documentation/translations/fa/index.rst b/Documentation/translations/fa/index.rst',
        'index 1111111..2222222 100644',
        '--- a/Documentation/translations/fa/index.rst',
        '+++ b/Documentation/translations/fa/index.rst',
        '@@ -1,2 +1,3 @@',
        ' Title',
        `+\u0645\u06cc${ZWNJ}\u062e\u0648\u0627\u0647\u0645 \u0628\u0631\u0648\u0645`,
        ' end',
        '',
      ].join('\n'),
    },
    {
      name: 'a byte order mark at the very start of a new file',
      diff: [
        'diff --git a/tools/x.txt b/tools/x.txt',
        'new file mode 100644',
        'index 0000000..2222222',
        '--- /dev/null',
        '+++ b/tools/x.txt',
        '@@ -0,0 +1,2 @@',
        '+\ufeffhello',
        '+world',
        '',
      ].join('\n'),
    },
    { name: 'an escape sequence that names the character', diff: cDiff('\tpr_info("\\u202e%s\\n", name);') },
  ],
  invalid: [
    {
      name: 'right-to-left override in a comment (the Trojan Source shape)',
      diff: cDiff(`\t/* admins only ${RLO} } ${LRI}if (is_admin)${PDI} ${LRI} begin admins */`),
      errors: [{ file: 'drivers/dma-buf/dma-buf.c', line: 11, messageId: 'bidi' }],
    },
    {
      name: 'zero width space inside an identifier',
      diff: cDiff(`\tdma_buf_pu${ZWSP}t(dmabuf);`),
      errors: [{ file: 'drivers/dma-buf/dma-buf.c', line: 11, messageId: 'invisible' }],
    },
    {
      name: 'isolate in a Kconfig help text (any file type)',
      diff: [
        'diff --git a/drivers/dma-buf/Kconfig b/drivers/dma-buf/Kconfig',
        'index 1111111..2222222 100644',
        '--- a/drivers/dma-buf/Kconfig',
        '+++ b/drivers/dma-buf/Kconfig',
        '@@ -5,2 +5,4 @@ config DMABUF_HEAPS',
        ' \thelp',
        `+\t  Say Y${LRI} here.${PDI}`,
        '+\t  Plain line.',
        ' \t  end',
        '',
      ].join('\n'),
      errors: [{ file: 'drivers/dma-buf/Kconfig', line: 6, messageId: 'bidi' }],
    },
    {
      name: 'one finding per line, in a later patch of the series',
      diff: [cDiff('\tint ok = 1;'), cDiff(`\tconst char *s = "a${ZWSP}${RLO}b";`)],
      errors: [{ file: 'drivers/dma-buf/dma-buf.c', line: 11, messageId: 'bidi', patch: 2 }],
    },
  ],
});
