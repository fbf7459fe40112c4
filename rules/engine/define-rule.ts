import type { Rule } from './types.ts';

/** Identity function that keeps message ids typed: a misspelled messageId is a compile error. */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}
