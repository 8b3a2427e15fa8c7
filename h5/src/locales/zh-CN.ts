import access from './access/zh-CN';
import app from './app/zh-CN';
import audit from './audit/zh-CN';
import automation from './automation/zh-CN';
import auth from './auth/zh-CN';
import cases from './cases/zh-CN';
import home from './home/zh-CN';
import me from './me/zh-CN';
import metrics from './metrics/zh-CN';
import notifications from './notifications/zh-CN';
import orders from './orders/zh-CN';
import settings from './settings/zh-CN';
import projects from './projects/zh-CN';
import sop from './sop/zh-CN';
import team from './team/zh-CN';

/**
 * zh-CN messages: the default locale, in the entry chunk. Each feature area has its own folder
 * (`./<area>/zh-CN.ts` + `./<area>/en.ts`, the English typed against the Chinese) and its own
 * top-level keys; they are merged here, so the keys are the same as with one file: t('team.count').
 * A module's H5 part adds its area and a line here and in ../en.ts; test/unit/h5/locales.test.ts
 * checks that both languages have the same keys in every area and that no two areas share a key.
 *
 * Wording uses seller teams' own terms: 最小权限, 客服分单, 售后时限, SOP. Message syntax
 * (./message-format.ts): `{name}` interpolates, `a | b` separates plural forms (English counts:
 * '{n} person | {n} people'); everything else is literal text (no linked messages).
 */
const zhCN = {
  ...app,
  ...auth,
  ...home,
  ...team,
  ...me,
  ...settings,
  ...access,
  ...audit,
  ...notifications,
  ...orders,
  ...cases,
  ...sop,
  ...projects,
  ...metrics,
  ...automation,
};

export type Messages = typeof zhCN;
export default zhCN;
