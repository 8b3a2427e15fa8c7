import type { SopCategory, SopRunState, SopStepState } from '@shopcrew/shared';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

/** van-tag type of each run state: running stands out, done is green, cancelled quiet. */
export const RUN_STATE_TAGS: Record<SopRunState, TagType> = { running: 'primary', done: 'success', cancelled: 'default' };

/** van-tag type of each step state. */
export const STEP_STATE_TAGS: Record<SopStepState, TagType> = { todo: 'default', done: 'success', skipped: 'warning' };

/** Vant icon of a step's state in the run's list: an empty circle to do, a tick done, a skip arrow skipped. */
export const STEP_STATE_ICONS: Record<SopStepState, string> = { todo: 'circle', done: 'checked', skipped: 'stop-circle-o' };

/** The colour of a template's category tag. */
export const CATEGORY_COLORS: Record<SopCategory, string> = {
  order: '#1989fa',
  aftersales: '#00a5a8',
  daily: '#07c160',
  promotion: '#ee0a24',
  onboarding: '#7232dd',
  offboarding: '#ff976a',
  other: '#969799',
};
