// Recipient resolution for message/send (https://developer.work.weixin.qq.com/document/path/90236) and
// update_template_card (https://developer.work.weixin.qq.com/document/path/94888): userids (case-insensitive, returned
// lower-cased when invalid), departments (with their sub-departments) and tags (their members and departments).
import type { Corp } from './corp';
import { ApiError } from './errors';

export interface Resolved {
  /** Canonical userids reached, in first-seen order. */
  userids: string[];
  invaliduser: string[];
  invalidparty: string[];
  invalidtag: string[];
}

export interface RecipientLists {
  users: string[];
  parties: string[];
  tags: string[];
}

/** "a|b|c" → ["a", "b", "c"]. */
export const splitBar = (v: unknown): string[] => (typeof v === 'string' && v ? v.split('|').filter(Boolean) : typeof v === 'number' ? [String(v)] : []);

/** Limits of https://developer.work.weixin.qq.com/document/path/90236 with the global codes (90313): 40032, 82002, 82003. */
export function checkListSizes(l: RecipientLists): void {
  if (l.users.length > 1000) throw new ApiError(40032, 'touser exceed max 1000');
  if (l.parties.length > 100) throw new ApiError(82002, 'toparty exceed max 100');
  if (l.tags.length > 100) throw new ApiError(82003, 'totag exceed max 100');
}

function userIndex(corp: Corp): Map<string, string> {
  return new Map([...corp.members.keys()].map((u) => [u.toLowerCase(), u]));
}

function partyMembers(corp: Corp, id: number): string[] {
  return corp.subtree(id).flatMap((d) => corp.membersOf(d.id).map((m) => m.userid));
}

export function resolveRecipients(corp: Corp, l: RecipientLists): Resolved {
  const index = userIndex(corp);
  const out = new Set<string>();
  const invaliduser: string[] = [];
  const invalidparty: string[] = [];
  const invalidtag: string[] = [];
  for (const u of l.users) {
    const canonical = index.get(u.toLowerCase());
    if (canonical) out.add(canonical);
    else invaliduser.push(u.toLowerCase());
  }
  for (const p of l.parties) {
    const id = Number(p);
    if (!/^\d+$/.test(p) || !corp.departments.has(id)) invalidparty.push(p);
    else for (const u of partyMembers(corp, id)) out.add(u);
  }
  for (const t of l.tags) {
    const tag = /^\d+$/.test(t) ? corp.tags.get(Number(t)) : undefined;
    if (!tag) {
      invalidtag.push(t);
      continue;
    }
    for (const u of tag.userlist) if (corp.members.has(u)) out.add(u);
    for (const p of tag.partylist) if (corp.departments.has(p)) for (const u of partyMembers(corp, p)) out.add(u);
  }
  return { userids: [...out], invaliduser, invalidparty, invalidtag };
}

/** "@all": every active member (status 1) of the corp. */
export function everyone(corp: Corp): string[] {
  return [...corp.members.values()].filter((m) => m.status === 1).map((m) => m.userid);
}
