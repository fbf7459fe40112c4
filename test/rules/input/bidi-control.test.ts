import rule from '../../../rules/input/bidi-control.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';
import { hunkDiff, newFileDiff } from '../../helpers/unified-diff.ts';

// The characters are written as escapes so that this file itself stays readable.
const RLO = '\u202e';
const LRI = '\u2066';
const PDI = '\u2069';
const ZWSP = '\u200b';
const ZWNJ = '\u200c';

/** One added line (and optionally one deleted line) in the middle of a C function; new line 11. */
const cDiff = (added: string, removed = ''): string =>
  hunkDiff('drivers/dma-buf/dma-buf.c', [' {', ...(removed ? [`-${removed}`] : []), `+${added}`, ' \treturn 0;', ' }'], {
    section: 'static int dma_buf_check(struct dma_buf *dmabuf)',
  });

testRule(rule, {
  valid: [
    { name: 'plain ASCII code', diff: cDiff('\tif (!dmabuf->ops) /* no ops */') },
    {
      name: 'the control character only on a deleted line',
      diff: cDiff('\t/* admins only */', `\t/* admins only ${RLO} } ${LRI}if (is_admin)${PDI} */`),
    },
    {
      name: 'a joiner between letters of a script that needs it (Persian documentation)',
      diff: hunkDiff(
        'Documentation/translations/fa/index.rst',
        [' Title', `+\u0645\u06cc${ZWNJ}\u062e\u0648\u0627\u0647\u0645 \u0628\u0631\u0648\u0645`, ' end'],
        { start: 1 },
      ),
    },
    {
      name: 'a byte order mark at the very start of a new file',
      diff: newFileDiff('tools/x.txt', ['\ufeffhello', 'world']),
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
      diff: hunkDiff('drivers/dma-buf/Kconfig', [' \thelp', `+\t  Say Y${LRI} here.${PDI}`, '+\t  Plain line.', ' \t  end'], {
        start: 5,
        section: 'config DMABUF_HEAPS',
      }),
      errors: [{ file: 'drivers/dma-buf/Kconfig', line: 6, messageId: 'bidi' }],
    },
    {
      name: 'one finding per line, in a later patch of the series',
      diff: [cDiff('\tint ok = 1;'), cDiff(`\tconst char *s = "a${ZWSP}${RLO}b";`)],
      errors: [{ file: 'drivers/dma-buf/dma-buf.c', line: 11, messageId: 'bidi', patch: 2 }],
    },
  ],
});
