import type { DataSource } from 'typeorm';
import type { Actor, TaskDetail } from '@shopcrew/shared';
import { NotFoundError } from '../../errors';
import { readable } from './access';
import { activityView } from './activity';
import type { CommentService } from './comment.service';
import type { ProjectFileService } from './file.service';
import type { People } from './ports';
import { Project, ProjectActivity, ProjectTask } from './project.entity';
import type { ProjectViews } from './project-view';

/** GET /api/tasks/:id: the task with its comments, files and history. */
export class TaskQuery {
  constructor(
    private readonly ds: DataSource,
    private readonly views: ProjectViews,
    private readonly comments: CommentService,
    private readonly files: ProjectFileService,
    private readonly people: People,
  ) {}

  async detail(actor: Actor, id: number): Promise<TaskDetail> {
    const t = await this.ds.getRepository(ProjectTask).findOneBy({ id });
    if (!t) throw new NotFoundError('任务不存在 (task not found)');
    const p = readable(actor, await this.ds.getRepository(Project).findOneBy({ id: t.projectId }));
    const activity = await this.ds.getRepository(ProjectActivity).find({ where: { taskId: id }, order: { id: 'DESC' }, take: 200 });
    const names = await this.people.namesOf([...new Set(activity.flatMap((a) => (a.actor ? [a.actor] : [])))]);
    return {
      task: await this.views.task(this.ds.manager, actor, p, id),
      project: { id: p.id, name: p.name, state: p.state },
      comments: await this.comments.ofTask(id),
      attachments: await this.files.ofTask(id),
      activity: activity.map((a) => activityView(a, names)),
    };
  }
}
