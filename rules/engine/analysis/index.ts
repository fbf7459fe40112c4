// Shared helpers for rules. Area-specific helpers live beside these as <area>-*.ts files.
export { lockStateAt, heldFamilies, atomicHeld } from './lock-state.ts';
export type { LockState } from './lock-state.ts';
export { findCalls } from './calls.ts';
export type { Found } from './calls.ts';
export { exitsAfter } from './exits.ts';
export type { Exit } from './exits.ts';
export { sameTarget, canonicalTarget } from './targets.ts';
export { within, extraConditions } from './conditions.ts';
