import rule from '../../../rules/fs/pseudo-fs-noexec.ts';
import { testRule, type RuleCases } from '../../../rules/engine/rule-tester.ts';
import { testReadsEquivalence } from '../../helpers/reads-equivalence.ts';
import { hunkDiff, newFileDiff } from '../../helpers/unified-diff.ts';

const FILE = 'drivers/misc/foo/foofs.c';

/** A new file with an init_fs_context (given body lines) and an anon-inode allocation. */
function newFs(contextBody: string[], file = FILE, withAnon = true): string {
  const lines = [
    '#include <linux/pseudo_fs.h>',
    'static int foo_fs_init_context(struct fs_context *fc)',
    '{',
    '\tstruct pseudo_fs_context *ctx;',
    '',
    ...contextBody,
    '\treturn 0;',
    '}',
    ...(withAnon
      ? ['static struct inode *foo_inode(struct super_block *sb)', '{', '\treturn alloc_anon_inode(sb);', '}']
      : []),
  ];
  return newFileDiff(file, lines);
}

const INIT = ['\tctx = init_pseudo(fc, FOO_MAGIC);', '\tif (!ctx)', '\t\treturn -ENOMEM;'];

const cases: RuleCases = {
  valid: [
    { name: 'both flags set, one statement', diff: newFs([...INIT, '\tfc->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;']) },
    {
      name: 'both flags set in two statements (the dma-buf fix shape)',
      diff: newFs([...INIT, '\tfc->s_iflags |= SB_I_NOEXEC;', '\tfc->s_iflags |= SB_I_NODEV;']),
    },
    { name: 'no anonymous inodes in the file', diff: newFs(INIT, FILE, false) },
    {
      name: 'init_pseudo only as context, hunk in the middle of the function (the real fix patch)',
      diff: [
        'diff --git a/drivers/dma-buf/dma-buf.c b/drivers/dma-buf/dma-buf.c',
        'index a4d8f2ff94e46..dea79aaab10ce 100644',
        '--- a/drivers/dma-buf/dma-buf.c',
        '+++ b/drivers/dma-buf/dma-buf.c',
        '@@ -221,6 +221,8 @@ static int dma_buf_fs_init_context(struct fs_context *fc)',
        ' \tif (!ctx)',
        ' \t\treturn -ENOMEM;',
        ' \tctx->dops = &dma_buf_dentry_ops;',
        '+\tfc->s_iflags |= SB_I_NOEXEC;',
        '+\tfc->s_iflags |= SB_I_NODEV;',
        ' \treturn 0;',
        ' }',
        ' ',
        '',
      ].join('\n'),
    },
    {
      name: 'the init_fs_context only moves within the file (dma-buf 2020 shape)',
      diff: [
        `diff --git a/${FILE} b/${FILE}`,
        'index 1111111..2222222 100644',
        `--- a/${FILE}`,
        `+++ b/${FILE}`,
        '@@ -1,8 +1,1 @@',
        ' #include <linux/pseudo_fs.h>',
        '-static int foo_fs_init_context(struct fs_context *fc)',
        '-{',
        '-\tstruct pseudo_fs_context *ctx;',
        '-\tctx = init_pseudo(fc, FOO_MAGIC);',
        '-\treturn ctx ? 0 : -ENOMEM;',
        '-}',
        '-',
        '@@ -20,2 +13,9 @@ static struct inode *foo_inode(struct super_block *sb)',
        ' \treturn alloc_anon_inode(sb);',
        ' }',
        '+static int foo_fs_init_context(struct fs_context *fc)',
        '+{',
        '+\tstruct pseudo_fs_context *ctx;',
        '+\tctx = init_pseudo(fc, FOO_MAGIC);',
        '+\treturn ctx ? 0 : -ENOMEM;',
        '+}',
        '+',
        '',
      ].join('\n'),
    },
  ],
  invalid: [
    {
      name: 'no flags at all',
      diff: newFs([...INIT, '\tctx->dops = &foo_dentry_ops;']),
      errors: [{ file: FILE, line: 6 }],
    },
    {
      name: 'only SB_I_NOEXEC',
      diff: newFs([...INIT, '\tfc->s_iflags |= SB_I_NOEXEC;']),
      errors: [{ file: FILE, line: 6, messageId: 'missingFlags' }],
    },
    {
      // Flags are looked for in the function that calls init_pseudo() only; the helper is not read.
      name: 'the flags are set in a helper function that names no init_pseudo()',
      diff: [newFs([...INIT, '\tfoo_fs_set_flags(fc);']), hunkDiff('drivers/misc/foo/foofs_flags.c', ['+void foo_fs_set_flags(struct fs_context *fc)', '+{', '+\tfc->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;', '+}'])],
      errors: [{ file: FILE, line: 6, patch: 1 }],
    },
    {
      name: 'the anon inode allocation is in another patch of the series',
      diff: [
        newFs(INIT, FILE, false),
        hunkDiff(FILE, [' \treturn 0;', ' }', '+static struct inode *foo_inode(struct super_block *sb)', '+{', '+\treturn alloc_anon_inode(sb);', '+}'], {
          start: 9,
        }),
      ],
      errors: [{ file: FILE, line: 6, patch: 1 }],
    },
  ],
};

testRule(rule, cases);
testReadsEquivalence(rule, cases);
