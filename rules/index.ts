// The rule registry: one import per area, each area lists its own rules.
import type { Rule } from './engine/types.ts';
import { rules as cma } from './cma/index.ts';
import { rules as completion } from './completion/index.ts';
import { rules as dept } from './dept/index.ts';
import { rules as dmaBuf } from './dma-buf/index.ts';
import { rules as dmaFence } from './dma-fence/index.ts';
import { rules as fs } from './fs/index.ts';
import { rules as input } from './input/index.ts';
import { rules as pageFlags } from './page-flags/index.ts';
import { rules as refcount } from './refcount/index.ts';
import { rules as revoke } from './revoke/index.ts';
import { rules as series } from './series/index.ts';
import { rules as sleep } from './sleep/index.ts';

export const allRules: readonly Rule[] = [
  ...dmaBuf,
  ...revoke,
  ...cma,
  ...dept,
  ...completion,
  ...pageFlags,
  ...sleep,
  ...fs,
  ...dmaFence,
  ...refcount,
  ...series,
  ...input,
];
