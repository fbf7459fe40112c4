export { extractFacts, isCFile } from './extract.ts';
export { loadCParser } from './parser.ts';
export { cachedFacts, patchFacts } from './cache.ts';
export { classifyCallee, classifyTimeout } from './classify.ts';
export { normTarget, normCode } from './text.ts';
export { functionNameOf } from './regions.ts';
