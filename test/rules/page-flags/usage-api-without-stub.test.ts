import rule from '../../../rules/page-flags/usage-api-without-stub.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';
import { hunkDiff, newFileDiff } from '../../helpers/unified-diff.ts';

/** A one-hunk diff of `file` whose first shown line is new-side line `start`. */
const diff = (file: string, body: string[], start = 40, section = ''): string => hunkDiff(file, body, { start, section });

const FILE = 'mm/foo_cache.c';

testRule(rule, {
  valid: [
    {
      name: 'inside #ifdef CONFIG_DEPT',
      diff: diff(FILE, [
        ' static void foo_add_folio(struct folio *folio)',
        ' {',
        '+#ifdef CONFIG_DEPT',
        '+\tdept_set_folio_usage(folio, DEPT_PAGE_REGFILE_CACHE);',
        '+#endif',
        ' \tfoo_insert(folio);',
        ' }',
      ]),
    },
    {
      name: 'the definition in page-flags.h (dept-v18 39/42 shape) and the page variant',
      diff: diff('include/linux/page-flags.h', [
        ' extern struct dept_map pg_locked_map;',
        '+static inline void dept_set_folio_usage(struct folio *f,',
        '+\t\tunsigned int new_type)',
        '+{',
        '+\tdept_set_page_usage(&f->page, new_type);',
        '+}',
        '+static inline void dept_reset_folio_usage(struct folio *f)',
        '+{',
        '+\tdept_reset_page_usage(&f->page);',
        '+}',
        ' ',
      ]),
    },
    {
      name: 'the call is on a deleted line only',
      diff: diff(FILE, [
        ' static void foo_add_folio(struct folio *folio)',
        ' {',
        '-\tdept_set_folio_usage(folio, DEPT_PAGE_REGFILE_CACHE);',
        ' \tfoo_insert(folio);',
        ' }',
      ]),
    },
    {
      name: 'hunk in the middle of a function: an #ifdef above may be hidden',
      diff: diff(
        FILE,
        [' \tfoo_insert(folio);', '+\tdept_reset_folio_usage(folio);', ' \treturn 0;'],
        80,
        'static int foo_remove(struct folio *folio)',
      ),
    },
    {
      name: 'inside a conditional whose opener is above the hunk',
      diff: diff(FILE, [
        ' static void foo_add_folio(struct folio *folio)',
        ' {',
        '+\tdept_set_folio_usage(folio, DEPT_PAGE_REGFILE_CACHE);',
        ' }',
        ' #endif /* CONFIG_DEPT */',
      ]),
    },
    {
      name: 'the series adds the stubs',
      diff: [
        diff('include/linux/page-flags.h', [
          ' #else',
          '+#define dept_set_folio_usage(f, t)\t\tdo { } while (0)',
          ' #define dept_page_set_bit(p, bit_nr)\t\tdo { } while (0)',
        ]),
        diff(FILE, [
          ' static void foo_add_folio(struct folio *folio)',
          ' {',
          '+\tdept_set_folio_usage(folio, DEPT_PAGE_REGFILE_CACHE);',
          ' }',
        ]),
      ],
    },
  ],
  invalid: [
    {
      name: 'plain call in a visible function',
      diff: diff(FILE, [
        ' static void foo_add_folio(struct folio *folio)',
        ' {',
        '+\tdept_set_folio_usage(folio, DEPT_PAGE_REGFILE_CACHE);',
        ' \tfoo_insert(folio);',
        ' }',
      ]),
      errors: [{ file: FILE, line: 42, messageId: 'noStub' }],
    },
    {
      name: 'inside an unrelated #ifdef',
      diff: diff(FILE, [
        ' static void foo_del_folio(struct folio *folio)',
        ' {',
        '+#ifdef CONFIG_FOO_DEBUG',
        '+\tdept_reset_folio_usage(folio);',
        '+#endif',
        ' }',
      ]),
      errors: [{ file: FILE, line: 43, messageId: 'noStub' }],
    },
    {
      name: 'in the #else branch of CONFIG_DEPT',
      diff: diff(FILE, [
        ' static void foo_del_folio(struct folio *folio)',
        ' {',
        '+#ifdef CONFIG_DEPT',
        '+\tfoo_track(folio);',
        '+#else',
        '+\tdept_reset_folio_usage(folio);',
        '+#endif',
        ' }',
      ]),
      errors: [{ file: FILE, line: 45, messageId: 'elseBranch' }],
    },
    {
      name: 'a new file, in a header helper',
      diff: newFileDiff('include/linux/foo_cache.h', [
        '#include <linux/page-flags.h>',
        'static inline void foo_mark(struct folio *folio)',
        '{',
        '\tdept_set_folio_usage(folio, DEPT_PAGE_BDEV_CACHE);',
        '}',
      ]),
      errors: [{ file: 'include/linux/foo_cache.h', line: 4, messageId: 'noStub' }],
    },
  ],
});
