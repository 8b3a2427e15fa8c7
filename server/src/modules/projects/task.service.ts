import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import {
  PRIORITIES,
  TASK_LINK_TYPES,
  TASK_STATES,
  type Actor,
  type MyTask,
  type TaskInput,
  type TaskLink,
  type TaskMoveResult,
  type TaskPatch,
  type TaskView,
} from '@shopcrew/shared';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { manageable, mayEditTask, mayRead, readable } from './access';
import { logActivity } from './activity';
import { isDay } from './days';
import type { Indexer, People } from './ports';
import { taskState } from './project-state';
import { Project, ProjectActivity, ProjectTask, TaskDependency } from './project.entity';
import { loadSchedule, type ProjectViews } from './project-view';
import { findCycle, reschedule, type SchedTask } from './schedule';

const day = z.string().refine(isDay, '日期格式应为 YYYY-MM-DD (a calendar day YYYY-MM-DD)');
const link = z.object({ type: z.enum(TASK_LINK_TYPES), id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();
const common = {
  title: z.string().trim().min(1, '请填写任务标题 (title is required)').max(191),
  description: z.string().max(5000).optional(),
  owner: z.string().min(1).max(64).nullable().optional(),
  collaborators: z.array(z.string().min(1).max(64)).max(20).optional(),
  priority: z.enum(PRIORITIES).optional(),
  milestone: z.boolean().optional(),
  dependsOn: z.array(z.number().int().positive()).max(50).optional(),
  links: z.array(link).max(20).optional(),
};
export const taskBody = z
  .object({ ...common, start: day, due: day })
  .strict()
  .refine((t) => t.start <= t.due, { message: '截止日期不能早于开始日期 (due must not be before start)', path: ['due'] });
export const taskPatchBody = z
  .object({ ...common, title: common.title.optional(), state: z.enum(TASK_STATES).optional(), progress: z.number().int().min(0).max(100).optional() })
  .strict();
export const moveBody = z
  .object({ start: day, due: day, preview: z.boolean().optional() })
  .strict()
  .refine((t) => t.start <= t.due, { message: '截止日期不能早于开始日期 (due must not be before start)', path: ['due'] });

const STATE_ZH = { todo: '待开始', doing: '进行中', review: '待验收', done: '已完成' } as const;
const LINK_ZH = { order: '订单', case: '售后 #', sop_run: '清单 #' } as const;
const linkLabel = (l: Pick<TaskLink, 'type' | 'id'>): string => (l.type === 'order' ? `订单 ${l.id}` : `${LINK_ZH[l.type]}${l.id}`);

/** Tasks: added, changed (dependencies without loops), moved with their dependants, done (telling who can start). */
export class TaskService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly views: ProjectViews,
    private readonly people: People,
    private readonly index: Indexer,
    private readonly now: () => number,
  ) {}

  async add(actor: Actor, projectId: number, input: TaskInput, requestId?: string): Promise<TaskView> {
    await this.checkMembers([...(input.owner ? [input.owner] : []), ...(input.collaborators ?? [])]);
    const id = await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const p = manageable(actor, readable(actor, await tx.manager.findOneBy(Project, { id: projectId })));
      return this.addIn(tx, p, input, actor.userid);
    });
    return this.view(actor, id);
  }

  /** A new task in the caller's unit (the H5's, or an automation rule's with `by` = automation); its members checked already. */
  async addIn(tx: Tx, p: Project, input: TaskInput, by: string): Promise<number> {
    const projectId = p.id;
    const now = this.now();
    const res = await tx.manager.insert(ProjectTask, {
      projectId,
      title: input.title,
      description: input.description ?? '',
      owner: input.owner ?? null,
      collaborators: [...new Set(input.collaborators ?? [])],
      start: input.start,
      due: input.milestone ? input.start : input.due,
      priority: input.priority ?? 'P2',
      state: 'todo',
      progress: 0,
      milestone: input.milestone ? 1 : 0,
      links: (input.links ?? []).map((l) => ({ ...l, label: linkLabel(l) })),
      dueReminded: null,
      overdueNotified: null,
      createdBy: by,
      createdAt: now,
      updatedAt: now,
    });
    const taskId = Number((res.identifiers[0] as { id: number }).id);
    if (input.dependsOn?.length) await this.setDependencies(tx, p, taskId, input.dependsOn);
    await logActivity(tx.manager, now, { projectId, taskId, actor: by, kind: 'created', text: `新建任务「${input.title}」` });
    const t = await tx.manager.findOneByOrFail(ProjectTask, { id: taskId });
    await this.indexTask(tx, p, t);
    if (t.owner && t.owner !== by) await this.tellAssigned(tx, p, t, by);
    await this.checkSlip(tx, p);
    return taskId;
  }

  async view(actor: Actor, id: number): Promise<TaskView> {
    const t = await this.ds.getRepository(ProjectTask).findOneBy({ id });
    if (!t) throw new NotFoundError('任务不存在 (task not found)');
    const p = readable(actor, await this.ds.getRepository(Project).findOneBy({ id: t.projectId }));
    return this.views.task(this.ds.manager, actor, p, id);
  }

  async patch(actor: Actor, id: number, patch: TaskPatch, requestId?: string): Promise<TaskView> {
    await this.checkMembers([...(patch.owner ? [patch.owner] : []), ...(patch.collaborators ?? [])]);
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const { p, t } = await this.editable(tx, actor, id);
      const now = this.now();
      const names = await this.people.namesOf([...[t.owner, patch.owner].filter((u): u is string => !!u)], tx.manager);
      const who = (u: string | null | undefined) => (u ? (names.get(u) ?? u) : '无');
      const changes: Partial<ProjectTask> = { updatedAt: now };
      const log = (field: string, from: string | null, to: string | null, text: string) =>
        logActivity(tx.manager, now, { projectId: p.id, taskId: id, actor: actor.userid, kind: field === 'state' ? 'state' : 'field', field, from, to, text });
      if (patch.title !== undefined && patch.title !== t.title) {
        changes.title = patch.title;
        await log('title', t.title, patch.title, `把标题从「${t.title}」改为「${patch.title}」`);
      }
      if (patch.description !== undefined && patch.description !== t.description) {
        changes.description = patch.description;
        await log('description', null, null, '修改了描述');
      }
      if (patch.owner !== undefined && patch.owner !== t.owner) {
        changes.owner = patch.owner;
        await log('owner', t.owner, patch.owner, `把负责人从 ${who(t.owner)} 改为 ${who(patch.owner)}`);
      }
      if (patch.collaborators !== undefined) changes.collaborators = [...new Set(patch.collaborators)];
      if (patch.priority !== undefined && patch.priority !== t.priority) {
        changes.priority = patch.priority;
        await log('priority', t.priority, patch.priority, `把优先级从 ${t.priority} 改为 ${patch.priority}`);
      }
      if (patch.progress !== undefined && patch.progress !== t.progress) {
        changes.progress = patch.progress;
        await log('progress', String(t.progress), String(patch.progress), `进度 ${t.progress}% → ${patch.progress}%`);
      }
      if (patch.state !== undefined && patch.state !== t.state) {
        taskState.check(t.state, patch.state);
        changes.state = patch.state;
        if (patch.state === 'done') changes.progress = 100;
        await log('state', t.state, patch.state, `${STATE_ZH[t.state]} → ${STATE_ZH[patch.state]}`);
      }
      if (patch.links !== undefined) changes.links = patch.links.map((l) => ({ ...l, label: linkLabel(l) }));
      if (patch.milestone !== undefined) changes.milestone = patch.milestone ? 1 : 0;
      if (patch.dependsOn !== undefined) await this.setDependencies(tx, p, id, patch.dependsOn, actor.userid);
      await tx.manager.update(ProjectTask, { id }, changes);
      const fresh = await tx.manager.findOneByOrFail(ProjectTask, { id });
      await this.indexTask(tx, p, fresh);
      if (changes.owner && changes.owner !== actor.userid) await this.tellAssigned(tx, p, fresh, actor.userid);
      if (changes.state === 'done') await this.tellUnblocked(tx, p, fresh);
    });
    return this.view(actor, id);
  }

  /**
   * New days for a task; its dependants that would start before it ends move later (reschedule). A preview answers
   * the moves and changes nothing. Every move is on the log; the project's owner hears when its last day slips past
   * the end.
   */
  async move(actor: Actor, id: number, input: { start: string; due: string; preview?: boolean }, requestId?: string): Promise<TaskMoveResult> {
    const result = await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const { p, t } = await this.editable(tx, actor, id);
      const { tasks, sched } = await loadSchedule(tx.manager, p.id);
      const due = t.milestone ? input.start : input.due;
      const moves = reschedule(sched, id, input.start, due);
      const titles = new Map(tasks.map((x) => [x.id, x.title]));
      const moved = moves.map((m) => ({ ...m, title: titles.get(m.id) ?? '' }));
      if (input.preview) return { moved, projectId: null };
      const now = this.now();
      // A task's owner moving it may push others' tasks: that is what finish-to-start means. A chain of 1,000 moves is
      // a few multi-row statements, not 2,000 (test/bench/projects.ts).
      await this.writeMoves(tx, moves, now);
      const entries = moves.map((m) => ({
        projectId: p.id,
        taskId: m.id,
        at: now,
        actor: actor.userid,
        kind: 'moved' as const,
        field: 'dates',
        from: `${m.from.start}~${m.from.due}`,
        to: `${m.to.start}~${m.to.due}`,
        text: m.id === id ? `把日期从 ${m.from.start}~${m.from.due} 改为 ${m.to.start}~${m.to.due}` : `随前置任务顺延至 ${m.to.start}~${m.to.due}`,
      }));
      for (let i = 0; i < entries.length; i += 500) await tx.manager.insert(ProjectActivity, entries.slice(i, i + 500));
      await this.checkSlip(tx, p);
      return { moved, projectId: p.id };
    });
    return {
      moved: result.moved,
      project:
        result.projectId === null
          ? null
          : await this.views.detail(this.ds.manager, actor, await this.ds.getRepository(Project).findOneByOrFail({ id: result.projectId })),
    };
  }

  /** New days for many tasks, 500 to a statement (ids are integers and days are checked YYYY-MM-DD, so they are written in). */
  private async writeMoves(tx: Tx, moves: ReturnType<typeof reschedule>, now: number): Promise<void> {
    for (let i = 0; i < moves.length; i += 500) {
      const chunk = moves.slice(i, i + 500).filter((m) => isDay(m.to.start) && isDay(m.to.due));
      if (!chunk.length) continue;
      const when = (day: (m: (typeof chunk)[number]) => string) => chunk.map((m) => `WHEN ${Number(m.id)} THEN '${day(m)}'`).join(' ');
      await tx.manager.query(
        `UPDATE project_tasks SET start_day = CASE id ${when((m) => m.to.start)} END, due_day = CASE id ${when((m) => m.to.due)} END, updated_at = ${Number(now)} WHERE id IN (${chunk.map((m) => Number(m.id)).join(', ')})`,
      );
    }
  }

  async remove(actor: Actor, id: number, requestId?: string): Promise<void> {
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const t = await tx.manager.findOneBy(ProjectTask, { id });
      if (!t) throw new NotFoundError('任务不存在 (task not found)');
      const p = manageable(actor, readable(actor, await tx.manager.findOneBy(Project, { id: t.projectId })));
      await tx.manager.delete(TaskDependency, { taskId: id });
      await tx.manager.delete(TaskDependency, { dependsOn: id });
      await tx.manager.delete(ProjectTask, { id });
      await this.index.removeTask(tx.manager, id);
      await logActivity(tx.manager, this.now(), {
        projectId: p.id,
        taskId: id,
        actor: actor.userid,
        kind: 'field',
        field: 'deleted',
        text: `删除任务「${t.title}」`,
      });
    });
  }

  /** My open tasks across the projects I may see, soonest due first. */
  async mine(actor: Actor): Promise<MyTask[]> {
    const tasks = await this.ds
      .getRepository(ProjectTask)
      .find({ where: { owner: actor.userid, state: In(['todo', 'doing', 'review']) }, order: { due: 'ASC', id: 'ASC' }, take: 200 });
    const projects = new Map(
      (tasks.length ? await this.ds.getRepository(Project).findBy({ id: In([...new Set(tasks.map((t) => t.projectId))]) }) : []).map((p) => [p.id, p]),
    );
    const out: MyTask[] = [];
    for (const [projectId, p] of projects) {
      if (p.state === 'cancelled' || p.state === 'done' || !mayRead(actor, p)) continue;
      const { sched } = await loadSchedule(this.ds.manager, projectId);
      const views = await this.views.taskViews(
        this.ds.manager,
        actor,
        p,
        tasks.filter((t) => t.projectId === projectId),
        sched,
      );
      out.push(...views.map((v) => ({ ...v, projectName: p.name })));
    }
    return out.sort((a, b) => a.due.localeCompare(b.due) || a.id - b.id);
  }

  private async editable(tx: Tx, actor: Actor, id: number): Promise<{ p: Project; t: ProjectTask }> {
    const t = await tx.manager.findOneBy(ProjectTask, { id });
    if (!t) throw new NotFoundError('任务不存在 (task not found)');
    const p = readable(actor, await tx.manager.findOneBy(Project, { id: t.projectId }));
    if (!mayEditTask(actor, p, t)) throw new ForbiddenError('只有项目管理者和任务负责人可以修改任务 (only its owner or a manager)');
    return { p, t };
  }

  /** Replace a task's dependencies: tasks of the same project, and no loop (422 dependency_cycle with the loop). */
  private async setDependencies(tx: Tx, p: Project, taskId: number, dependsOn: number[], actor?: string): Promise<void> {
    const wanted = [...new Set(dependsOn)];
    const { tasks, sched } = await loadSchedule(tx.manager, p.id);
    const titles = new Map(tasks.map((t) => [t.id, t.title]));
    const foreign = wanted.find((d) => !titles.has(d));
    if (foreign !== undefined)
      throw new ValidationError(`任务 ${foreign} 不在这个项目里 (dependencies must be tasks of the same project)`, { field: 'dependsOn' });
    const next: SchedTask[] = sched.map((s) => (s.id === taskId ? { ...s, dependsOn: wanted } : s));
    const loop = findCycle(next);
    if (loop)
      throw new AppError(
        422,
        'dependency_cycle',
        `依赖形成了循环：${loop.map((id) => titles.get(id) ?? String(id)).join(' → ')} (dependencies would form a loop)`,
        { cycle: loop },
      );
    const before = sched.find((s) => s.id === taskId)?.dependsOn ?? [];
    await tx.manager.delete(TaskDependency, { taskId });
    for (const d of wanted) await tx.manager.insert(TaskDependency, { taskId, dependsOn: d, projectId: p.id });
    if (actor && before.join(',') !== wanted.join(','))
      await logActivity(tx.manager, this.now(), {
        projectId: p.id,
        taskId,
        actor,
        kind: 'dependency',
        field: 'dependsOn',
        from: before.join(','),
        to: wanted.join(','),
        text: wanted.length ? `前置任务改为：${wanted.map((d) => titles.get(d)).join('、')}` : '去掉了前置任务',
      });
  }

  private async tellAssigned(tx: Tx, p: Project, t: ProjectTask, by: string): Promise<void> {
    const byName = by === 'automation' ? '自动化规则' : ((await this.people.namesOf([by], tx.manager)).get(by) ?? by);
    await tx.publish('task.assigned', { ...this.taskFields(p, t), assignee: t.owner!, due: t.due, by_name: byName });
  }

  /** A task done: each task waiting for it whose every predecessor is now done can start; its owner hears so. */
  private async tellUnblocked(tx: Tx, p: Project, done: ProjectTask): Promise<void> {
    const { tasks, deps } = await loadSchedule(tx.manager, p.id);
    const byId = new Map(tasks.map((t) => [t.id, t]));
    for (const t of tasks) {
      const preds = deps.get(t.id) ?? [];
      if (!preds.includes(done.id) || t.state === 'done' || !t.owner) continue;
      if (preds.every((d) => byId.get(d)?.state === 'done'))
        await tx.publish('task.unblocked', { ...this.taskFields(p, t), assignee: t.owner, done_task: done.title });
    }
  }

  /** The project's owner hears when its last due day passes its end, once per new last day. */
  async checkSlip(tx: Tx, p: Project): Promise<void> {
    const { tasks } = await loadSchedule(tx.manager, p.id);
    const lastDue = tasks.reduce((max, t) => (t.due > max ? t.due : max), '');
    if (!lastDue || lastDue <= p.end || (p.slipNotified !== null && p.slipNotified >= lastDue) || p.state === 'done' || p.state === 'cancelled') return;
    // A conditional update decides who tells (two moves at once tell once).
    const won = await tx.manager
      .createQueryBuilder()
      .update(Project)
      .set({ slipNotified: lastDue })
      .where('id = :id AND (slip_notified IS NULL OR slip_notified < :lastDue)', { id: p.id, lastDue })
      .execute();
    if (won.affected !== 1) return;
    await tx.publish('project.slipping', {
      project_id: String(p.id),
      project: p.name,
      ...(p.shopId ? { shop_id: p.shopId } : {}),
      assignee: p.owner,
      end: p.end,
      last_due: lastDue,
      url: `/projects/${p.id}`,
    });
  }

  taskFields(p: Project, t: ProjectTask) {
    return {
      project_id: String(p.id),
      project: p.name,
      task_id: String(t.id),
      task: t.title,
      ...(p.shopId ? { shop_id: p.shopId } : {}),
      url: `/tasks/${t.id}`,
    };
  }

  private indexTask(tx: Tx, p: Project, t: ProjectTask): Promise<void> {
    return this.index.upsert(tx.manager, {
      kind: 'task',
      refId: t.id,
      projectId: p.id,
      taskId: t.id,
      shopId: p.shopId,
      title: t.title,
      body: `${t.title} ${t.description}`,
      at: t.updatedAt,
    });
  }

  private async checkMembers(userids: string[]): Promise<void> {
    if (!userids.length) return;
    const active = await this.people.active(userids);
    const missing = userids.find((u) => !active.has(u));
    if (missing) throw new ValidationError(`成员 ${missing} 不存在或已离职 (unknown member)`, { field: 'owner' });
  }
}
