// POST /cgi-bin/message/update_template_card (https://developer.work.weixin.qq.com/document/path/94888): with a
// single-use response_code, replace the buttons' text (button.replace_name) or the whole card (template_card) for
// every recipient (atall: 1) or for the listed userids / partyids / tagids.
import { applyCardUpdate, checkTemplateCard } from './cards';
import { ApiError } from './errors';
import { objectAt, stringAt, stringListAt, type Json } from './input';
import { checkAgent } from './messages';
import type { CardRecord } from './messaging';
import { resolveRecipients } from './recipients';
import type { SimState } from './state';

interface Update {
  replaceName?: string;
  templateCard?: Json;
}

function readUpdate(body: Json): Update {
  const button = objectAt(body, 'button');
  const templateCard = objectAt(body, 'template_card');
  if (templateCard) {
    checkTemplateCard(templateCard, true);
    return { templateCard };
  }
  if (button) {
    const name = button['replace_name'];
    if (typeof name !== 'string' || name === '') throw new ApiError(40058, 'button.replace_name missing');
    return { replaceName: name };
  }
  throw new ApiError(40058, 'button or template_card required');
}

/** The card's recipients to update, and the listed members that are not recipients (lower-cased, like message/send). */
function targets(body: Json, rec: CardRecord, s: SimState): { userids: string[]; invaliduser: string[] } {
  if (body['atall'] === 1) return { userids: [...rec.members.keys()], invaliduser: [] };
  const users = stringListAt(body, 'userids') ?? [];
  const parties = stringListAt(body, 'partyids') ?? [];
  const tags = stringListAt(body, 'tagids') ?? [];
  if (users.length > 1000 || parties.length > 100 || tags.length > 100) throw new ApiError(40058, 'userids ≤ 1000, partyids ≤ 100, tagids ≤ 100');
  if (!users.length && !parties.length && !tags.length) throw new ApiError(40058, 'userids, partyids, tagids or atall required');
  const r = resolveRecipients(s.corp, { users, parties, tags });
  const userids = r.userids.filter((u) => rec.members.has(u));
  const notRecipients = users.filter((u) => !userids.some((x) => x.toLowerCase() === u.toLowerCase())).map((u) => u.toLowerCase());
  if (!userids.length) throw new ApiError(81013);
  return { userids, invaliduser: [...new Set(notRecipients)] };
}

export function updateTemplateCard(body: Json, s: SimState): Json {
  checkAgent(body, s);
  const code = stringAt(body, 'response_code');
  if (!code) throw new ApiError(40058, 'response_code missing');
  const now = s.now();
  const codeRec = s.msg.peekResponseCode(code, now);
  const update = readUpdate(body);
  const rec = s.msg.cards.get(codeRec.taskId);
  if (!rec) throw new ApiError(40058, 'response_code invalid');
  const t = targets(body, rec, s);
  codeRec.used = true;
  for (const u of t.userids) applyCardUpdate(rec.members.get(u)!, now, update);
  s.stats.cardUpdates.push({ at: now, taskId: rec.taskId, via: 'api', responseCode: code, userids: t.userids, ...update });
  return { invaliduser: t.invaliduser };
}
