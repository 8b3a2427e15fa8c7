import { LessThan, type DataSource } from 'typeorm';
import { z } from 'zod';
import {
  PROJECT_STATES,
  type Actor,
  type ActivityEntry,
  type ProjectDetail,
  type ProjectListResponse,
  type ProjectPatch,
  type ProjectState,
} from '@shopcrew/shared';
import { can, shopsWith } from '@shopcrew/shared';
import { ForbiddenError, ValidationError } from '../../errors';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { readable, manageable } from './access';
import { activityView, logActivity } from './activity';
import { isDay, resolveOffset } from './days';
import type { Indexer, People } from './ports';
import { projectState } from './project-state';
import { Project, ProjectActivity, ProjectTask, TaskDependency } from './project.entity';
import type { ProjectViews } from './project-view';
import { PROJECT_TEMPLATES } from './templates';

const day = z.string().refine(isDay, '日期格式应为 YYYY-MM-DD (a calendar day YYYY-MM-DD)');
export const projectBody = z
  .object({
    name: z.string().trim().min(1, '请填写项目名称 (name is required)').max(100),
    goal: z.string().max(500).optional(),
    shopId: z
      .string()
      .regex(/^\d{1,32}$/)
      .nullable()
      .optional(),
    owner: z.string().min(1).max(64).optional(),
    start: day,
    end: day,
    templateKey: z.string().max(32).optional(),
    taskOwners: z.record(z.string().regex(/^\d{1,3}$/), z.string().min(1).max(64)).optional(),
  })
  .strict()
  .refine((p) => p.start <= p.end, { message: '结束日期不能早于开始日期 (end must not be before start)', path: ['end'] });
export const projectPatchBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    goal: z.string().max(500).optional(),
    owner: z.string().min(1).max(64).optional(),
    start: day.optional(),
    end: day.optional(),
  })
  .strict();
export const listQuery = z.object({
  state: z.enum(PROJECT_STATES).optional(),
  mine: z.enum(['1', 'true']).optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const STATE_ZH: Record<ProjectState, string> = { planning: '筹备中', active: '进行中', done: '已完成', cancelled: '已取消' };

/** Projects: created by hand or from a template (tasks with D-offset dates and their dependencies), changed, moved along. */
export class ProjectService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly views: ProjectViews,
    private readonly people: People,
    private readonly index: Indexer,
    private readonly now: () => number,
    /** Whether a shop is linked (a project for a shop must name one). */
    private readonly shopExists: (shopId: string) => Promise<boolean>,
  ) {}

  async list(actor: Actor, q: z.infer<typeof listQuery>): Promise<ProjectListResponse> {
    const qb = this.ds.getRepository(Project).createQueryBuilder('p');
    const scope = shopsWith(actor, 'projects:read');
    if (scope !== 'all') qb.andWhere(scope.length ? '(p.shop_id IS NULL OR p.shop_id IN (:...shops))' : 'p.shop_id IS NULL', { shops: scope });
    if (q.state) qb.andWhere('p.state = :state', { state: q.state });
    if (q.mine) qb.andWhere('(p.owner = :me OR p.id IN (SELECT t.project_id FROM project_tasks t WHERE t.owner = :me))', { me: actor.userid });
    if (q.cursor) qb.andWhere('p.id < :cursor', { cursor: Number(q.cursor) });
    const rows = await qb
      .orderBy('p.id', 'DESC')
      .take(q.limit + 1)
      .getMany();
    const page = rows.slice(0, q.limit);
    return { items: await this.views.summaries(this.ds.manager, page), nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null };
  }

  async detail(actor: Actor, id: number): Promise<ProjectDetail> {
    const p = readable(actor, await this.ds.getRepository(Project).findOneBy({ id }));
    return this.views.detail(this.ds.manager, actor, p);
  }

  async create(actor: Actor, input: z.infer<typeof projectBody>, requestId?: string): Promise<ProjectDetail> {
    if (!can(actor, 'projects:manage', { shopId: input.shopId ?? null }))
      throw new ForbiddenError('只有店长和运营总监可以创建项目 (projects:manage is required)');
    const template = input.templateKey ? PROJECT_TEMPLATES.find((t) => t.key === input.templateKey) : undefined;
    if (input.templateKey && !template) throw new ValidationError(`没有模板 ${input.templateKey} (unknown template)`, { field: 'templateKey' });
    if (input.shopId && !(await this.shopExists(input.shopId))) throw new ValidationError(`店铺 ${input.shopId} 未关联 (unknown shop)`, { field: 'shopId' });
    if (input.taskOwners && !template) throw new ValidationError('taskOwners 只能与模板一起使用 (taskOwners needs a templateKey)', { field: 'taskOwners' });
    const beyond = Object.keys(input.taskOwners ?? {}).find((k) => Number(k) >= (template?.tasks.length ?? 0));
    if (beyond !== undefined) throw new ValidationError(`模板没有第 ${Number(beyond) + 1} 个任务 (no such template task)`, { field: 'taskOwners' });
    // From a template, `end` is the D day; the project runs from the first task to the last (a review after the D day).
    const days = template ? template.tasks.flatMap((t) => [resolveOffset(t.start, input.end), resolveOffset(t.due, input.end)]) : [];
    const start = [input.start, ...days].sort()[0]!;
    const end = [input.end, ...days].sort().at(-1)!;
    const owner = input.owner ?? actor.userid;
    await this.checkMembers([owner, ...Object.values(input.taskOwners ?? {})]);
    const id = await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const now = this.now();
      const res = await tx.manager.insert(Project, {
        name: input.name,
        goal: input.goal ?? '',
        shopId: input.shopId ?? null,
        owner,
        start,
        end,
        state: 'planning',
        templateKey: template?.key ?? null,
        slipNotified: null,
        createdBy: actor.userid,
        createdAt: now,
        updatedAt: now,
      });
      const projectId = Number((res.identifiers[0] as { id: number }).id);
      const project = await tx.manager.findOneByOrFail(Project, { id: projectId });
      await logActivity(tx.manager, now, {
        projectId,
        actor: actor.userid,
        kind: 'created',
        text: template ? `从模板「${template.name}」创建项目` : '创建项目',
      });
      await this.indexProject(tx, project);
      if (template) await this.addTemplateTasks(tx, project, template, input.end, input.taskOwners ?? {}, actor.userid);
      await tx.audit({
        action: 'projects.created',
        targetType: 'project',
        targetId: String(projectId),
        after: { name: input.name, template: template?.key ?? null },
      });
      return projectId;
    });
    return this.detail(actor, id);
  }

  async update(actor: Actor, id: number, patch: ProjectPatch, requestId?: string): Promise<ProjectDetail> {
    if (patch.owner) await this.checkMembers([patch.owner]);
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const p = manageable(actor, readable(actor, await tx.manager.findOneBy(Project, { id })));
      const next = { ...p, ...patch };
      if (next.start > next.end) throw new ValidationError('结束日期不能早于开始日期 (end must not be before start)', { field: 'end' });
      const now = this.now();
      const names = await this.people.namesOf([p.owner, next.owner], tx.manager);
      for (const field of ['name', 'goal', 'owner', 'start', 'end'] as const) {
        if (patch[field] === undefined || patch[field] === p[field]) continue;
        const show = (v: string) => (field === 'owner' ? (names.get(v) ?? v) : v);
        await logActivity(tx.manager, now, {
          projectId: id,
          actor: actor.userid,
          kind: 'field',
          field,
          from: p[field],
          to: patch[field],
          text: `把${FIELD_ZH[field]}从「${show(p[field])}」改为「${show(patch[field])}」`,
        });
      }
      await tx.manager.update(Project, { id }, { ...patch, updatedAt: now });
      await this.indexProject(tx, { ...p, ...patch });
    });
    return this.detail(actor, id);
  }

  async transition(actor: Actor, id: number, to: ProjectState, requestId?: string): Promise<ProjectDetail> {
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const p = manageable(actor, readable(actor, await tx.manager.findOneBy(Project, { id })));
      projectState.check(p.state, to);
      if (p.state === to) return;
      const now = this.now();
      await tx.manager.update(Project, { id, state: p.state }, { state: to, updatedAt: now });
      await logActivity(tx.manager, now, {
        projectId: id,
        actor: actor.userid,
        kind: 'state',
        field: 'state',
        from: p.state,
        to,
        text: `${STATE_ZH[p.state]} → ${STATE_ZH[to]}`,
      });
      await tx.audit({ action: 'projects.state', targetType: 'project', targetId: String(id), before: { state: p.state }, after: { state: to } });
    });
    return this.detail(actor, id);
  }

  async activity(actor: Actor, id: number, cursor?: string): Promise<{ items: ActivityEntry[]; nextCursor: string | null }> {
    readable(actor, await this.ds.getRepository(Project).findOneBy({ id }));
    const rows = await this.ds.getRepository(ProjectActivity).find({
      where: { projectId: id, ...(cursor && /^\d+$/.test(cursor) ? { id: LessThan(Number(cursor)) } : {}) },
      order: { id: 'DESC' },
      take: 51,
    });
    const page = rows.slice(0, 50);
    const names = await this.people.namesOf([...new Set(page.flatMap((a) => (a.actor ? [a.actor] : [])))]);
    return { items: page.map((a) => activityView(a, names)), nextCursor: rows.length > 50 ? String(page.at(-1)!.id) : null };
  }

  /** The template's tasks, dated from the D day (the project's end), with their dependencies. */
  private async addTemplateTasks(
    tx: Tx,
    p: Project,
    template: (typeof PROJECT_TEMPLATES)[number],
    dDay: string,
    owners: Record<string, string>,
    by: string,
  ): Promise<void> {
    const ids: number[] = [];
    const now = this.now();
    for (const [i, t] of template.tasks.entries()) {
      const res = await tx.manager.insert(ProjectTask, {
        projectId: p.id,
        title: t.title,
        description: '',
        owner: owners[String(i)] ?? null,
        collaborators: [],
        start: resolveOffset(t.start, dDay),
        due: resolveOffset(t.due, dDay),
        priority: t.priority,
        state: 'todo',
        progress: 0,
        milestone: t.milestone ? 1 : 0,
        links: [],
        dueReminded: null,
        overdueNotified: null,
        createdBy: by,
        createdAt: now,
        updatedAt: now,
      });
      const id = Number((res.identifiers[0] as { id: number }).id);
      ids.push(id);
      await this.index.upsert(tx.manager, { kind: 'task', refId: id, projectId: p.id, taskId: id, shopId: p.shopId, title: t.title, body: t.title, at: now });
      const owner = owners[String(i)];
      const names = await this.people.namesOf(owner ? [owner] : [], tx.manager);
      await logActivity(tx.manager, now, {
        projectId: p.id,
        taskId: id,
        actor: by,
        kind: 'created',
        text: owner ? `从模板新建任务「${t.title}」，负责人 ${names.get(owner) ?? owner}` : `从模板新建任务「${t.title}」`,
      });
      if (owner && owner !== by)
        await tx.publish('task.assigned', {
          project_id: String(p.id),
          project: p.name,
          task_id: String(id),
          task: t.title,
          ...(p.shopId ? { shop_id: p.shopId } : {}),
          assignee: owner,
          due: resolveOffset(t.due, dDay),
          by_name: (await this.people.namesOf([by], tx.manager)).get(by) ?? by,
          url: `/tasks/${id}`,
        });
    }
    for (const [i, t] of template.tasks.entries())
      for (const d of t.dependsOn) await tx.manager.insert(TaskDependency, { taskId: ids[i]!, dependsOn: ids[d]!, projectId: p.id });
  }

  private indexProject(tx: Tx, p: Pick<Project, 'id' | 'shopId' | 'name' | 'goal'>): Promise<void> {
    return this.index.upsert(tx.manager, {
      kind: 'project',
      refId: p.id,
      projectId: p.id,
      taskId: null,
      shopId: p.shopId,
      title: p.name,
      body: `${p.name} ${p.goal}`,
      at: this.now(),
    });
  }

  private async checkMembers(userids: string[]): Promise<void> {
    const active = await this.people.active(userids);
    const missing = userids.find((u) => !active.has(u));
    if (missing) throw new ValidationError(`成员 ${missing} 不存在或已离职 (unknown member)`, { field: 'owner' });
  }
}

const FIELD_ZH = { name: '名称', goal: '目标', owner: '负责人', start: '开始日期', end: '结束日期' } as const;
