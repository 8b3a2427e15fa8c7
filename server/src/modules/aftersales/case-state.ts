import type { CaseState } from '@shopcrew/shared';
import { StateMachine } from '../../platform/state-machine';

/**
 * A case's states and the moves between them (issue 10): 受理 → 处理中 → 待买家 / 待平台 → 已解决 → 已关闭, and
 * reopening. Every move is recorded with its actor, reason and time; anything else is 409 illegal_transition.
 */
export const caseState = new StateMachine<CaseState>('case state', {
  new: ['in_progress', 'waiting_buyer', 'waiting_platform', 'resolved', 'closed'],
  in_progress: ['waiting_buyer', 'waiting_platform', 'resolved', 'closed'],
  waiting_buyer: ['in_progress', 'waiting_platform', 'resolved', 'closed'],
  waiting_platform: ['in_progress', 'waiting_buyer', 'resolved', 'closed'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['in_progress', 'waiting_buyer', 'waiting_platform', 'resolved', 'closed'],
});

/** SLA clocks stand still while the case waits for someone else. */
export const PAUSED: readonly CaseState[] = ['waiting_buyer', 'waiting_platform'];
/** No clock runs any more. */
export const DONE: readonly CaseState[] = ['resolved', 'closed'];
/** Moves that need a reason on the record. */
export const NEEDS_REASON: readonly CaseState[] = ['resolved', 'closed', 'reopened'];

/**
 * Where a Shopee return status puts the case (https://open.shopee.com/developer-guide/227): the platform deciding
 * (JUDGING, SELLER_DISPUTE) → 待平台; ACCEPTED, CLOSED, CANCELLED → resolved by the platform. REQUESTED and PROCESSING
 * leave the team's state alone.
 */
export function stateForPlatform(status: string): CaseState | null {
  if (status === 'JUDGING' || status === 'SELLER_DISPUTE') return 'waiting_platform';
  if (status === 'ACCEPTED' || status === 'CLOSED' || status === 'CANCELLED') return 'resolved';
  return null;
}
