import type { CaseApproval, CaseState } from '@shopcrew/shared';
import type { CountdownTone } from '@/composables/cases';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

/** van-tag type of each case state: new work stands out, waiting on others is quiet, finished ones are green or grey. */
export const STATE_TAGS: Record<CaseState, TagType> = {
  new: 'warning',
  in_progress: 'primary',
  waiting_buyer: 'default',
  waiting_platform: 'default',
  resolved: 'success',
  closed: 'default',
  reopened: 'danger',
};

/** van-tag type of each approval status. */
export const APPROVAL_TAGS: Record<CaseApproval['status'], TagType> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'default',
  failed: 'danger',
};

/** Vant icon of a countdown: a clock while it runs, a pause sign, a tick once met, a warning once past. */
export const COUNTDOWN_ICONS: Record<CountdownTone, string> = {
  normal: 'clock-o',
  warning: 'clock-o',
  urgent: 'clock-o',
  breached: 'warning-o',
  paused: 'pause-circle-o',
  met: 'passed',
};
