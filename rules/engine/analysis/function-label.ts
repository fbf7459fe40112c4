// How a finding names the function it is about: "foo()" when the name is known, "this function"
// for code whose function is not visible (file scope, a hunk without its header). Templates use
// `{{fn}}` without "()"; `{ start: true }` capitalises the fallback for a sentence-initial use.
import type { FunctionFacts } from '../types.ts';

export function functionLabel(fn: Pick<FunctionFacts, 'name'> | string | null | undefined, opts: { start?: boolean } = {}): string {
  const name = typeof fn === 'string' || fn == null ? fn : fn.name;
  if (name) return `${name}()`;
  return opts.start ? 'This function' : 'this function';
}
