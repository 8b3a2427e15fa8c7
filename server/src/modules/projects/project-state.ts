import type { ProjectState, TaskState } from '@shopcrew/shared';
import { StateMachine } from '../../platform/state-machine';

/** 筹备中 → 进行中 → 已完成, or cancelled on the way (409 illegal_transition otherwise). */
export const projectState = new StateMachine<ProjectState>(
  'project',
  {
    planning: ['active', 'cancelled'],
    active: ['done', 'cancelled'],
    done: ['active'],
    cancelled: [],
  },
  { planning: '筹备中', active: '进行中', done: '已完成', cancelled: '已取消' },
);

/** 待开始 → 进行中 → 待验收 → 已完成; work may go back a step (review sends it back to doing, a done task reopens). */
export const taskState = new StateMachine<TaskState>(
  'task',
  {
    todo: ['doing', 'done'],
    doing: ['todo', 'review', 'done'],
    review: ['doing', 'done'],
    done: ['doing'],
  },
  { todo: '待开始', doing: '进行中', review: '待验收', done: '已完成' },
);
