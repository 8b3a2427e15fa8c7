import type { Priority, ProjectState, TaskState } from '@shopcrew/shared';
import type { TaskMark } from '@/composables/projects';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

/** van-tag type of each project state: 进行中 stands out, 已完成 green, 筹备中 amber, 已取消 quiet. */
export const PROJECT_STATE_TAGS: Record<ProjectState, TagType> = { planning: 'warning', active: 'primary', done: 'success', cancelled: 'default' };

/** van-tag type of each task state. */
export const TASK_STATE_TAGS: Record<TaskState, TagType> = { todo: 'default', doing: 'primary', review: 'warning', done: 'success' };

/** The colour of a priority tag: P0 red … P3 grey. */
export const PRIORITY_COLORS: Record<Priority, string> = { P0: '#ee0a24', P1: '#ff976a', P2: '#1989fa', P3: '#969799' };

/** The colour of a task's marks; the Gantt chart uses the same for late (red) and critical (orange) bars. */
export const MARK_COLORS: Record<TaskMark, string> = { late: '#ee0a24', blocking: '#7232dd', critical: '#ed6a0c', milestone: '#07c160' };
