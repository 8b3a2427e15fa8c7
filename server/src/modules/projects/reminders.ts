import { In, type DataSource } from 'typeorm';
import type { UnitOfWork } from '../../platform/tx';
import { addDays } from './days';
import { Project, ProjectTask } from './project.entity';

/**
 * Daily, once across instances (a scheduler job in TZ_CORP): owners of tasks due tomorrow are reminded, and owners of
 * tasks past due told, once per due day (`due_reminded` / `overdue_notified` hold the day told of, so a task moved to
 * a new day is told again). A conditional update decides who tells.
 */
export class TaskReminders {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  async run(today: string): Promise<{ dueTomorrow: number; overdue: number }> {
    const tomorrow = addDays(today, 1);
    // Only what still has to be told (the flag differs from the due day), owners only: a page of 2,000 a day each.
    const untold = (column: string, due: string) =>
      this.ds
        .getRepository(ProjectTask)
        .createQueryBuilder('t')
        .where("t.state IN ('todo', 'doing', 'review') AND t.owner IS NOT NULL")
        .andWhere(due, { tomorrow, today })
        .andWhere(`(t.${column} IS NULL OR t.${column} <> t.due_day)`)
        .orderBy('t.id')
        .take(2000)
        .getMany();
    const pending = [...(await untold('due_reminded', 't.due_day = :tomorrow')), ...(await untold('overdue_notified', 't.due_day < :today'))];
    if (!pending.length) return { dueTomorrow: 0, overdue: 0 };
    const projects = new Map((await this.ds.getRepository(Project).findBy({ id: In([...new Set(pending.map((t) => t.projectId))]) })).map((p) => [p.id, p]));
    let dueTomorrow = 0;
    let overdue = 0;
    await this.uow.run({ actor: 'system', requestId: `projects.reminders:${today}` }, async (tx) => {
      for (const t of pending) {
        const p = projects.get(t.projectId);
        if (!p || p.state === 'done' || p.state === 'cancelled') continue;
        const isLate = t.due < today;
        const column = isLate ? 'overdue_notified' : 'due_reminded';
        const won = await tx.manager
          .createQueryBuilder()
          .update(ProjectTask)
          .set(isLate ? { overdueNotified: t.due } : { dueReminded: t.due })
          .where(`id = :id AND due_day = :due AND (${column} IS NULL OR ${column} <> :due)`, { id: t.id, due: t.due })
          .execute();
        if (won.affected !== 1) continue;
        await tx.publish(isLate ? 'task.overdue' : 'task.due_tomorrow', {
          project_id: String(p.id),
          project: p.name,
          task_id: String(t.id),
          task: t.title,
          ...(p.shopId ? { shop_id: p.shopId } : {}),
          assignee: t.owner!,
          due: t.due,
          url: `/tasks/${t.id}`,
        });
        if (isLate) overdue++;
        else dueTomorrow++;
      }
    });
    return { dueTomorrow, overdue };
  }
}
