// Group robots (消息推送, https://developer.work.weixin.qq.com/document/path/99110; older page 91770):
// POST /cgi-bin/webhook/send?key=KEY. The key is the only credential (unknown key 93000). Types text (≤ 2048 bytes,
// mentioned_list, mentioned_mobile_list, <@userid>), markdown (≤ 4096 bytes, <@userid>), markdown_v2 (≤ 4096 bytes,
// no mentions), news (1..8 articles) and template_card (text_notice / news_notice only). 20 messages per minute per
// robot, sliding; beyond that 45009.
import { randomUUID } from 'node:crypto';
import { checkTemplateCard } from './cards';
import { checkMarkdown, checkNews, checkText } from './content';
import type { Corp } from './corp';
import { recordViolation } from './delivery';
import type { ApiRequest } from './endpoint';
import { ApiError } from './errors';
import { q } from './http';
import { objectAt, stringAt, type Json } from './input';
import { MINUTE_MS, type Robot, type RobotInfo, type RobotMessage } from './messaging';
import type { SimState } from './state';

export const ROBOT_PER_MINUTE = 20;

/** A robot in a group; `key` restores one a demo registered before a restart (the simulator keeps nothing on disk). */
export function createRobot(s: SimState, name: string, key?: string): Robot {
  // Real keys are UUIDs ("693axxx6-7aoc-4bc4-97a0-0ec2sifa5aaa" in the doc's example).
  const robot: Robot = { key: key ?? randomUUID(), name: name || '群机器人', createdAt: s.now() };
  s.msg.robots.set(robot.key, robot);
  return robot;
}

export const robotInfo = (r: Robot, baseUrl: string): RobotInfo => ({ ...r, webhookUrl: `${baseUrl}/cgi-bin/webhook/send?key=${r.key}` });

function checkRobotContent(msgtype: string, c: Json): void {
  if (msgtype === 'text') return checkText(c);
  if (msgtype === 'markdown' || msgtype === 'markdown_v2') return checkMarkdown(c, 4096, msgtype);
  if (msgtype === 'news') return checkNews(c);
  if (msgtype === 'template_card') {
    const type = stringAt(c, 'card_type');
    if (type !== 'text_notice' && type !== 'news_notice') throw new ApiError(40058, 'template_card.card_type must be text_notice or news_notice');
    checkTemplateCard(c, true);
    return;
  }
  throw new ApiError(40008, msgtype ? `msgtype ${msgtype} is not simulated` : undefined);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Who a message mentions: mentioned_list / mentioned_mobile_list (text) and <@userid> (text, markdown). */
export function robotMentions(corp: Corp, msgtype: string, c: Json): Pick<RobotMessage, 'mentions' | 'mentionedAll' | 'mentionedMobiles' | 'unknownMentions'> {
  const ids = msgtype === 'text' ? strings(c['mentioned_list']) : [];
  const mobiles = msgtype === 'text' ? strings(c['mentioned_mobile_list']) : [];
  if (msgtype === 'text' || msgtype === 'markdown') {
    for (const m of (typeof c['content'] === 'string' ? c['content'] : '').matchAll(/<@([^<>\s]+)>/g)) ids.push(m[1]!);
  }
  const index = new Map([...corp.members.keys()].map((u) => [u.toLowerCase(), u]));
  const mentions = new Set<string>();
  const unknown = new Set<string>();
  for (const id of ids.filter((x) => x !== '@all')) {
    const canonical = index.get(id.toLowerCase());
    if (canonical) mentions.add(canonical);
    else unknown.add(id);
  }
  return {
    mentions: [...mentions],
    mentionedAll: ids.includes('@all') || mobiles.includes('@all'),
    mentionedMobiles: mobiles.filter((m) => m !== '@all'),
    unknownMentions: [...unknown],
  };
}

export function webhookSend(req: ApiRequest, s: SimState): Json {
  const key = q(req.query, 'key');
  if (!key || !s.msg.robots.has(key)) throw new ApiError(93000);
  const msgtype = stringAt(req.body, 'msgtype') ?? '';
  const content = objectAt(req.body, msgtype);
  if (!content) throw new ApiError(40008, msgtype ? `${msgtype} missing` : undefined);
  checkRobotContent(msgtype, content);
  const now = s.now();
  if (s.msg.robotWindow.count(key, now, MINUTE_MS) >= ROBOT_PER_MINUTE) {
    recordViolation(s, { kind: 'robot_minute', at: now, limit: ROBOT_PER_MINUTE, robotKey: key });
    throw new ApiError(45009, `robot ${key} exceed ${ROBOT_PER_MINUTE} messages per minute`);
  }
  s.msg.robotWindow.add(key, now);
  const message: RobotMessage = { seq: s.msg.nextSeq(), at: now, msgtype, content, ...robotMentions(s.corp, msgtype, content) };
  (s.stats.robotMessages[key] ??= []).push(message);
  return {};
}
