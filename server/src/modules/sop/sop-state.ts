import type { SopRunState, SopStepState } from '@shopcrew/shared';
import { StateMachine } from '../../platform/state-machine';

/** A step is done or skipped (with a reason), and may be put back to do by whoever may tick it. */
export const stepState = new StateMachine<SopStepState>('checklist step', {
  todo: ['done', 'skipped'],
  done: ['todo'],
  skipped: ['todo'],
});

/** A run is done when every step is done or skipped; un-ticking a step runs it again. Cancelled is final. */
export const runState = new StateMachine<SopRunState>('checklist', {
  running: ['done', 'cancelled'],
  done: ['running'],
  cancelled: [],
});
