import rule from '../../../rules/page-flags/raw-bitop.ts';
import { testRule } from '../../../rules/engine/rule-tester.ts';
import { hunkDiff } from '../../helpers/unified-diff.ts';

/** A one-hunk diff of `file` whose body lines start at new-side line 20. */
const diff = (file: string, body: string[], section = 'static int foo_fill(struct folio *folio)'): string => hunkDiff(file, body, { start: 20, section });

testRule(rule, {
  valid: [
    {
      name: 'the helper instead of the bit',
      diff: diff('fs/foo/file.c', [' {', '+\tif (!folio_trylock(folio))', '+\t\treturn -EAGAIN;', ' \treturn 0;']),
    },
    {
      name: 'the raw operation only on a deleted line',
      diff: diff('fs/foo/file.c', [' {', '-\tset_bit(PG_locked, &folio->flags.f);', '+\t__folio_set_locked(folio);', ' \treturn 0;']),
    },
    {
      name: 'the page-flags implementation itself (dept-v18 22/42 shape)',
      diff: diff(
        'include/linux/pagemap.h',
        [
          ' {',
          '-\treturn likely(!test_and_set_bit_lock(PG_locked, folio_flags(folio, 0)));',
          '+\tbool ret = !test_and_set_bit_lock(PG_locked, folio_flags(folio, 0));',
          '+\tif (ret)',
          '+\t\tdept_page_set_bit(&folio->page, PG_locked);',
          '+\treturn likely(ret);',
          ' }',
        ],
        'static inline bool folio_trylock(struct folio *folio)',
      ),
    },
    {
      name: 'a read with test_bit, a bit number in a variable, a comment and a similar name',
      diff: diff('fs/foo/file.c', [
        ' {',
        '+\tif (test_bit(PG_locked, &folio->flags.f))',
        '+\t\treturn -EBUSY;',
        '+\tset_bit(bit_nr, &folio->flags.f);',
        '+\t/* never set_bit(PG_locked, ...) here */',
        '+\tset_bit(PG_locked_hint, &foo->state);',
        ' \treturn 0;',
      ]),
    },
    {
      name: 'a line that only moves within the file',
      diff: diff('fs/foo/file.c', [
        ' {',
        '-\tclear_bit_unlock(PG_locked, &folio->flags.f);',
        '+\tif (done)',
        '+\t\tclear_bit_unlock(PG_locked, &folio->flags.f);',
        ' \treturn 0;',
      ]),
    },
  ],
  invalid: [
    {
      name: 'test-and-set and clear-unlock of PG_locked in a driver',
      diff: diff('drivers/gpu/drm/foo/foo_gem.c', [
        ' {',
        '+\tif (test_and_set_bit_lock(PG_locked, &folio->flags.f))',
        '+\t\treturn -EAGAIN;',
        '+\tfoo_copy(folio);',
        '+\tclear_bit_unlock(PG_locked, &folio->flags.f);',
        ' \treturn 0;',
      ]),
      errors: [
        { file: 'drivers/gpu/drm/foo/foo_gem.c', line: 21, messageId: 'rawBitop' },
        { file: 'drivers/gpu/drm/foo/foo_gem.c', line: 24, messageId: 'rawBitop' },
      ],
    },
    {
      name: 'PG_writeback set with __set_bit on a page',
      diff: diff('fs/foo/aops.c', [' {', '+\t__set_bit(PG_writeback, &page->flags);', ' \treturn 0;']),
      errors: [{ file: 'fs/foo/aops.c', line: 21 }],
    },
    {
      name: 'an open-coded mask in a macro of a header',
      diff: diff('include/linux/foo.h', [
        ' #define FOO_H',
        '+#define foo_unlock_folio(f) ((f)->flags.f &= ~(1UL << PG_locked))',
        ' #endif',
      ], ''),
      errors: [{ file: 'include/linux/foo.h', line: 21 }],
    },
    {
      name: 'mm/ outside the implementation files',
      diff: diff('mm/migrate.c', [' {', '+\ttest_and_clear_bit(PG_writeback, &folio->flags.f);', ' \treturn 0;']),
      errors: [{ file: 'mm/migrate.c', line: 21 }],
    },
  ],
});
