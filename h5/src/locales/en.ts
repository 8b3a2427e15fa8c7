import type { Messages } from './zh-CN';
import access from './access/en';
import app from './app/en';
import audit from './audit/en';
import automation from './automation/en';
import auth from './auth/en';
import cases from './cases/en';
import home from './home/en';
import me from './me/en';
import metrics from './metrics/en';
import notifications from './notifications/en';
import orders from './orders/en';
import settings from './settings/en';
import projects from './projects/en';
import sop from './sop/en';
import team from './team/en';

/** English messages, loaded on demand when the member switches language on /me: the areas' English files, merged as in ./zh-CN.ts. */
const en: Messages = {
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

export default en;
