// The form in which a series crosses between threads (to a review worker, and back in slim form).
// A structured clone reads every property, so it would parse on the sending side what was left to
// parse on first use: the diff of each patch (an object per hunk line, costlier to clone than to
// parse) and the To/Cc/Reply-To lists of each message. Both travel as the text they come from
// instead and are parsed on first read on the receiving side, by the same parsers.
import type { FileChange, Message, Patch, Series } from './model.ts';
import { diffSpanOf, withLazyFiles, type DiffSpan } from './mail/lazy-files.ts';
import { placeholderCopy, unreadLists, withUnreadLists, type UnreadLists } from './mail/lazy-addresses.ts';

/** A message whose lists in `unread` are not parsed yet (they hold [] here). */
export interface WireMessage extends Message {
  unread?: UnreadLists;
}

export type WirePatch = Omit<Patch, 'files' | 'message'> & { message: WireMessage } & ({ files: FileChange[] } | { diff: DiffSpan });

export interface WireSeries extends Omit<Series, 'cover' | 'patches' | 'followUps'> {
  cover?: WireMessage;
  patches: WirePatch[];
  followUps: WireMessage[];
}

export function toWire(series: Series): WireSeries {
  const wire: WireSeries = { ...series, patches: series.patches.map(toWirePatch), followUps: series.followUps.map(toWireMessage) };
  if (series.cover) wire.cover = toWireMessage(series.cover);
  return wire;
}

export function fromWire(wire: WireSeries): Series {
  const series: Series = { ...wire, patches: wire.patches.map(fromWirePatch), followUps: wire.followUps.map(fromWireMessage) };
  if (wire.cover) series.cover = fromWireMessage(wire.cover);
  return series;
}

function toWirePatch(patch: Patch): WirePatch {
  const message = toWireMessage(patch.message);
  const span = diffSpanOf(patch);
  if (!span) return { ...patch, message };
  // Every field but files, without reading files (that would parse the diff here).
  const wire: Record<string, unknown> = {};
  for (const key of Object.keys(patch)) if (key !== 'files') wire[key] = patch[key as keyof Patch];
  wire.message = message;
  wire.diff = span;
  return wire as unknown as WirePatch;
}

function fromWirePatch(wire: WirePatch): Patch {
  const message = fromWireMessage(wire.message);
  if (!('diff' in wire)) return { ...wire, message };
  // files goes before mangled, where toPatch puts it.
  const { diff, mangled, ...fields } = wire;
  const patch = withLazyFiles({ ...fields, message }, diff);
  if (mangled !== undefined) patch.mangled = mangled;
  return patch;
}

function toWireMessage(msg: Message): WireMessage {
  const unread = unreadLists(msg);
  return unread ? { ...placeholderCopy(msg, unread), unread } : msg;
}

function fromWireMessage(wire: WireMessage): Message {
  const { unread, ...msg } = wire;
  return unread ? withUnreadLists(msg, unread) : msg;
}
