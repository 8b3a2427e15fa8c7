import { In, type EntityManager } from 'typeorm';
import type { Actor, ProjectDetail, ProjectSummary, TaskView } from '@shopcrew/shared';
import { mayEditTask, mayManage } from './access';
import { Project, ProjectFile, ProjectTask, TaskComment, TaskDependency } from './project.entity';
import { criticalPath, lateness, type SchedTask } from './schedule';

export type NamesOf = (userids: readonly string[], manager?: EntityManager) => Promise<Map<string, string>>;

const person = (userid: string | null, names: Map<string, string>) => (userid ? { userid, name: names.get(userid) ?? userid } : null);

/** A project's tasks with their dependencies, as scheduling sees them. */
export async function loadSchedule(m: EntityManager, projectId: number): Promise<{ tasks: ProjectTask[]; deps: Map<number, number[]>; sched: SchedTask[] }> {
  const tasks = await m.find(ProjectTask, { where: { projectId }, order: { start: 'ASC', id: 'ASC' } });
  const deps = new Map<number, number[]>(tasks.map((t) => [t.id, []]));
  for (const d of await m.findBy(TaskDependency, { projectId })) deps.get(d.taskId)?.push(d.dependsOn);
  const sched = tasks.map((t) => ({ id: t.id, start: t.start, due: t.due, done: t.state === 'done', dependsOn: deps.get(t.id) ?? [] }));
  return { tasks, deps, sched };
}

/** Progress, late count and slip of a project's tasks. */
function summaryOf(p: Project, tasks: ProjectTask[], late: number, names: Map<string, string>): ProjectSummary {
  const lastDue = tasks.reduce((max, t) => (t.due > max ? t.due : max), p.end);
  const percent = tasks.length ? Math.round(tasks.reduce((sum, t) => sum + (t.state === 'done' ? 100 : t.progress), 0) / tasks.length) : 0;
  return {
    id: p.id,
    name: p.name,
    goal: p.goal,
    shopId: p.shopId,
    owner: person(p.owner, names)!,
    start: p.start,
    end: p.end,
    state: p.state,
    templateKey: p.templateKey,
    progress: { done: tasks.filter((t) => t.state === 'done').length, total: tasks.length, percent },
    lateTasks: late,
    slipping: p.state !== 'done' && p.state !== 'cancelled' && lastDue > p.end,
    updatedAt: new Date(p.updatedAt).toISOString(),
  };
}

/** Project views: summaries for lists, the whole project with its tasks, one task. */
export class ProjectViews {
  constructor(
    private readonly namesOf: NamesOf,
    private readonly today: () => string,
  ) {}

  async summaries(m: EntityManager, projects: Project[]): Promise<ProjectSummary[]> {
    if (!projects.length) return [];
    const tasks = await m.find(ProjectTask, { where: { projectId: In(projects.map((p) => p.id)) }, select: ['id', 'projectId', 'state', 'progress', 'due'] });
    const names = await this.namesOf([...new Set(projects.map((p) => p.owner))], m);
    const today = this.today();
    return projects.map((p) => {
      const mine = tasks.filter((t) => t.projectId === p.id);
      return summaryOf(p, mine, mine.filter((t) => t.state !== 'done' && t.due < today).length, names);
    });
  }

  async detail(m: EntityManager, actor: Actor, p: Project): Promise<ProjectDetail> {
    const { tasks, sched } = await loadSchedule(m, p.id);
    const views = await this.taskViews(m, actor, p, tasks, sched);
    const cp = criticalPath(sched);
    const names = await this.namesOf([p.owner], m);
    return {
      ...summaryOf(p, tasks, views.filter((v) => v.late).length, names),
      tasks: views,
      criticalPath: cp.path,
      canManage: mayManage(actor, p),
    };
  }

  async task(m: EntityManager, actor: Actor, p: Project, taskId: number): Promise<TaskView> {
    const { tasks, sched } = await loadSchedule(m, p.id);
    const views = await this.taskViews(
      m,
      actor,
      p,
      tasks.filter((t) => t.id === taskId),
      sched,
    );
    return views[0]!;
  }

  /** Views of `tasks` (a subset of the project's), flags computed over the whole schedule. */
  async taskViews(m: EntityManager, actor: Actor, p: Project, tasks: ProjectTask[], sched: SchedTask[]): Promise<TaskView[]> {
    if (!tasks.length) return [];
    const ids = tasks.map((t) => t.id);
    const { late, blocking } = lateness(sched, this.today());
    const cp = criticalPath(sched);
    const deps = new Map(sched.map((s) => [s.id, s.dependsOn]));
    const counts = async (entity: typeof TaskComment | typeof ProjectFile) => {
      const rows = await m
        .createQueryBuilder(entity, 'x')
        .select('x.task_id', 'taskId')
        .addSelect('COUNT(*)', 'n')
        .where('x.task_id IN (:...ids)', { ids })
        .groupBy('x.task_id')
        .getRawMany<{ taskId: number; n: string | number }>();
      return new Map(rows.map((r) => [Number(r.taskId), Number(r.n)]));
    };
    const [comments, files] = await Promise.all([counts(TaskComment), counts(ProjectFile)]);
    const names = await this.namesOf([...new Set(tasks.flatMap((t) => [...(t.owner ? [t.owner] : []), ...t.collaborators]))], m);
    return tasks.map((t) => ({
      id: t.id,
      projectId: t.projectId,
      title: t.title,
      description: t.description,
      owner: person(t.owner, names),
      collaborators: t.collaborators.map((u) => person(u, names)!),
      start: t.start,
      due: t.due,
      priority: t.priority,
      state: t.state,
      progress: t.state === 'done' ? 100 : t.progress,
      milestone: t.milestone === 1,
      dependsOn: [...(deps.get(t.id) ?? [])],
      links: t.links,
      late: late.has(t.id),
      blocking: blocking.has(t.id),
      critical: cp.critical.has(t.id),
      slackDays: Math.max(0, cp.slack.get(t.id) ?? 0),
      commentCount: comments.get(t.id) ?? 0,
      attachmentCount: files.get(t.id) ?? 0,
      updatedAt: new Date(t.updatedAt).toISOString(),
      canEdit: mayEditTask(actor, p, t),
    }));
  }
}
