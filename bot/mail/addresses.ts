// The addresses of a header value: the common shapes by address-list.ts, anything else by
// mailparser's parseAddressHeader, whose result the fast path reproduces.
import { parseAddressHeader } from 'mailparser';
import type { Address } from '../model.ts';
import { parseAddressList } from './address-list.ts';

/** Decoded addresses of one header value; groups flattened, invalid entries dropped. */
export function addresses(value: string | undefined): Address[] {
  if (!value) return [];
  return parseAddressList(value, singleAddress) ?? parsedAddresses(value);
}

function parsedAddresses(value: string): Address[] {
  const out: Address[] = [];
  for (const a of parseAddressHeader(value, { flatten: true }).value) {
    if (a.address || a.name) out.push({ name: a.name, address: a.address ?? '' });
  }
  return out;
}

/** mailparser's one address in an entry, or null when it finds none or several. */
function singleAddress(entry: string): Address | null {
  const list = parsedAddresses(entry);
  return list.length === 1 ? (list[0] as Address) : null;
}
