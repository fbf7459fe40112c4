// Address patterns in the config: "lkp@intel.com", "syzbot*@*", "*@syzkaller.appspotmail.com"
// (globs over the lower-cased address) or "name:kernel test robot" (a substring of the name).
import type { Address } from '../model.ts';

function globToRegExp(glob: string): RegExp {
  const body = glob
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^\\s]*');
  return new RegExp(`^${body}$`);
}

export type AddressMatcher = (a: Address) => boolean;

export function addressMatcher(patterns: readonly string[]): AddressMatcher {
  const names: string[] = [];
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (p.toLowerCase().startsWith('name:')) names.push(p.slice(5).trim().toLowerCase());
    else globs.push(globToRegExp(p.trim()));
  }
  return (a) => {
    const address = a.address.toLowerCase();
    const name = a.name.toLowerCase();
    return globs.some((g) => g.test(address)) || names.some((n) => n.length > 0 && name.includes(n));
  };
}

/** The lower-cased domain of an address ("" when it has none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}
