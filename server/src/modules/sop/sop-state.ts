import type { SopRunState, SopStepState } from '@shopcrew/shared';
import { StateMachine } from '../../platform/state-machine';

/** A step is done or skipped (with a reason), and may be put back to do by whoever may tick it. */
export const stepState = new StateMachine<SopStepState>(
  'checklist step',
  {
    todo: ['done', 'skipped'],
    done: ['todo'],
    skipped: ['todo'],
  },
  { todo: '待办', done: '已完成', skipped: '已跳过' },
);

/** A run is done when every step is done or skipped; un-ticking a step runs it again. Cancelled is final. */
export const runState = new StateMachine<SopRunState>(
  'checklist',
  {
    running: ['done', 'cancelled'],
    done: ['running'],
    cancelled: [],
  },
  { running: '进行中', done: '已完成', cancelled: '已取消' },
);
