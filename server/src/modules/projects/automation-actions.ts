import { PRIORITIES, type Priority, type TaskLinkType } from '@shopcrew/shared';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import type { AutomationActionDef } from '../../platform/automation-actions';
import type { DomainEvent } from '../../platform/events';
import type { Tx } from '../../platform/tx';
import { addDays, todayIn } from './days';
import type { People } from './ports';
import { Project } from './project.entity';
import type { TaskService } from './task.service';

const OPEN = ['planning', 'active'];

async function projectOf(tx: Tx, id: unknown): Promise<Project> {
  const p = typeof id === 'number' ? await tx.manager.findOneBy(Project, { id }) : null;
  if (!p) throw new NotFoundError('项目不存在 (project not found)');
  return p;
}

/** The event's order or case, linked from the new task so its owner lands on what it is about. */
function linksOf(e: DomainEvent): Array<{ type: TaskLinkType; id: string }> {
  const order = e.payload['order_id'];
  if (typeof order === 'string' && order && order !== '—') return [{ type: 'order', id: order }];
  const kase = e.payload['case_id'];
  return typeof kase === 'string' && kase ? [{ type: 'case', id: kase }] : [];
}

/**
 * 新建项目任务: a task in an open project ('SKU 连续 3 天低于目标 → 给运营建一个改关键词或价格的任务'), titled from the
 * event's fields, due some days from today, owned by a member (who is told as for any assignment).
 */
export function taskAutomationAction(tasks: TaskService, people: People, timeZone: string, now: () => number): AutomationActionDef {
  const plan = (params: Record<string, unknown>, fill: (t: string) => string) => {
    const start = todayIn(timeZone, now());
    return { title: fill(String(params['title'])).slice(0, 100), start, due: addDays(start, Number(params['dueInDays'])) };
  };
  return {
    key: 'task.create',
    label: '新建项目任务',
    subject: null,
    params: {
      projectId: { label: '项目', kind: 'project' },
      title: { label: '任务标题（可用 {字段}）', kind: 'template_text' },
      owner: { label: '负责人', kind: 'member', optional: true },
      dueInDays: { label: '几天内完成', kind: 'number' },
      priority: { label: '优先级', kind: 'text', optional: true },
    },
    check: async (params, tx) => {
      const p = await projectOf(tx, params['projectId']).catch(() => {
        throw new ValidationError('请选择存在的项目 (params.projectId)', { field: 'params.projectId' });
      });
      const title = typeof params['title'] === 'string' ? params['title'].trim() : '';
      if (!title || [...title].length > 100) throw new ValidationError('任务标题为 1–100 个字 (params.title)', { field: 'params.title' });
      const owner = typeof params['owner'] === 'string' && params['owner'] ? params['owner'] : null;
      if (owner && !(await people.active([owner])).has(owner))
        throw new ValidationError(`成员 ${owner} 不存在或已离职 (params.owner)`, { field: 'params.owner' });
      const dueInDays = params['dueInDays'] ?? 3;
      if (typeof dueInDays !== 'number' || !Number.isInteger(dueInDays) || dueInDays < 0 || dueInDays > 90)
        throw new ValidationError('几天内完成应为 0–90 的整数 (params.dueInDays)', { field: 'params.dueInDays' });
      const priority = params['priority'] ?? 'P2';
      if (!(PRIORITIES as readonly unknown[]).includes(priority)) throw new ValidationError('优先级应为 P0–P3 (params.priority)', { field: 'params.priority' });
      return { projectId: p.id, title, owner, dueInDays, priority };
    },
    preview: async ({ params, tx, fill }) => {
      const p = await projectOf(tx, params['projectId']);
      const t = plan(params, fill);
      if (!OPEN.includes(p.state)) return `项目「${p.name}」已结束，不会新建任务`;
      return `在「${p.name}」新建任务「${t.title}」，${t.due} 到期`;
    },
    run: async ({ params, event, tx, fill }) => {
      const p = await projectOf(tx, params['projectId']);
      if (!OPEN.includes(p.state)) throw new AppError(409, 'project_closed', `项目「${p.name}」已结束，未新建任务 (the project is done or cancelled)`);
      const t = plan(params, fill);
      const owner = typeof params['owner'] === 'string' ? params['owner'] : null;
      await tasks.addIn(tx, p, { ...t, owner, priority: params['priority'] as Priority, links: linksOf(event) }, tx.actor);
      return `已在「${p.name}」新建任务「${t.title}」，${t.due} 到期`;
    },
  };
}
