// One tree-sitter C parser per process, loaded on first need (the wasm load costs ~50 ms).
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import type { Tree } from 'web-tree-sitter';

let loading: Promise<Parser> | null = null;
let ready: Parser | null = null;

/** Loads the C grammar once; every later call returns the same promise. */
export function loadCParser(): Promise<void> {
  loading ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve('tree-sitter-c/tree-sitter-c.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    ready = parser;
    return parser;
  })();
  return loading.then(() => undefined);
}

/** Parses C text; loadCParser() must have completed. */
export function parseC(text: string): Tree {
  if (!ready) throw new Error('C parser not loaded: await loadCParser() before extracting facts');
  const tree = ready.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
