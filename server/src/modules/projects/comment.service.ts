import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Actor, CommentInput, CommentVersion, CommentView } from '@shopcrew/shared';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { readable } from './access';
import { logActivity } from './activity';
import type { Indexer, People } from './ports';
import { Project, ProjectTask, TaskComment, TaskCommentVersion } from './project.entity';

export const commentBody = z
  .object({
    body: z.string().trim().min(1, '请填写评论内容 (body is required)').max(5000),
    parentId: z.number().int().positive().nullable().optional(),
    mentions: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .strict();
export const commentEditBody = z.object({ body: z.string().trim().min(1, '请填写评论内容 (body is required)').max(5000) }).strict();

/**
 * Comments under a task: replies, @mentions that reach the person in WeCom (task.mentioned, once per person and
 * comment: an edit tells only people newly mentioned), edits kept as versions, everything in the task's history.
 */
export class CommentService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly people: People,
    private readonly index: Indexer,
    private readonly now: () => number,
  ) {}

  async add(actor: Actor, taskId: number, input: CommentInput, requestId?: string): Promise<CommentView> {
    const mentions = await this.checkMentions(input.mentions ?? [], actor.userid);
    const id = await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const { p, t } = await this.taskOf(tx, actor, taskId);
      if (input.parentId && !(await tx.manager.existsBy(TaskComment, { id: input.parentId, taskId })))
        throw new ValidationError('回复的评论不存在 (the comment replied to is not on this task)', { field: 'parentId' });
      const now = this.now();
      const res = await tx.manager.insert(TaskComment, {
        taskId,
        projectId: p.id,
        parentId: input.parentId ?? null,
        author: actor.userid,
        body: input.body,
        mentions,
        createdAt: now,
        editedAt: null,
      });
      const commentId = Number((res.identifiers[0] as { id: number }).id);
      await logActivity(tx.manager, now, { projectId: p.id, taskId, actor: actor.userid, kind: 'comment', text: `评论：${excerpt(input.body)}` });
      await this.index.upsert(tx.manager, {
        kind: 'comment',
        refId: commentId,
        projectId: p.id,
        taskId,
        shopId: p.shopId,
        title: t.title,
        body: input.body,
        at: now,
      });
      await this.tellMentioned(tx, p, t, mentions, actor.userid, input.body);
      return commentId;
    });
    return this.get(id);
  }

  async edit(actor: Actor, id: number, body: string, requestId?: string): Promise<CommentView> {
    await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const c = await tx.manager.findOneBy(TaskComment, { id });
      if (!c) throw new NotFoundError('评论不存在 (comment not found)');
      const { p, t } = await this.taskOf(tx, actor, c.taskId);
      if (c.author !== actor.userid) throw new ForbiddenError('只能修改自己的评论 (only its author may edit a comment)');
      if (body === c.body) return;
      const now = this.now();
      await tx.manager.insert(TaskCommentVersion, { commentId: id, body: c.body, at: c.editedAt ?? c.createdAt });
      await tx.manager.update(TaskComment, { id }, { body, editedAt: now });
      await logActivity(tx.manager, now, {
        projectId: p.id,
        taskId: c.taskId,
        actor: actor.userid,
        kind: 'comment',
        field: 'edited',
        text: `修改了评论：${excerpt(body)}`,
      });
      await this.index.upsert(tx.manager, { kind: 'comment', refId: id, projectId: p.id, taskId: c.taskId, shopId: p.shopId, title: t.title, body, at: now });
    });
    return this.get(id);
  }

  async history(actor: Actor, id: number): Promise<CommentVersion[]> {
    const c = await this.ds.getRepository(TaskComment).findOneBy({ id });
    if (!c) throw new NotFoundError('评论不存在 (comment not found)');
    readable(actor, await this.ds.getRepository(Project).findOneBy({ id: c.projectId }));
    const versions = await this.ds.getRepository(TaskCommentVersion).find({ where: { commentId: id }, order: { id: 'DESC' } });
    return versions.map((v) => ({ body: v.body, at: new Date(v.at).toISOString() }));
  }

  async ofTask(taskId: number): Promise<CommentView[]> {
    const rows = await this.ds.getRepository(TaskComment).find({ where: { taskId }, order: { id: 'ASC' } });
    return this.views(rows);
  }

  private async get(id: number): Promise<CommentView> {
    return (await this.views([await this.ds.getRepository(TaskComment).findOneByOrFail({ id })]))[0]!;
  }

  private async views(rows: TaskComment[]): Promise<CommentView[]> {
    const names = await this.people.namesOf([...new Set(rows.flatMap((c) => [c.author, ...c.mentions]))]);
    const person = (u: string) => ({ userid: u, name: names.get(u) ?? u });
    return rows.map((c) => ({
      id: c.id,
      taskId: c.taskId,
      parentId: c.parentId,
      author: person(c.author),
      body: c.body,
      mentions: c.mentions.map(person),
      createdAt: new Date(c.createdAt).toISOString(),
      editedAt: c.editedAt === null ? null : new Date(c.editedAt).toISOString(),
    }));
  }

  private async taskOf(tx: Tx, actor: Actor, taskId: number): Promise<{ p: Project; t: ProjectTask }> {
    const t = await tx.manager.findOneBy(ProjectTask, { id: taskId });
    if (!t) throw new NotFoundError('任务不存在 (task not found)');
    return { p: readable(actor, await tx.manager.findOneBy(Project, { id: t.projectId })), t };
  }

  /** Each mentioned member once (the author aside): task.mentioned, which reaches them by app message by default. */
  private async tellMentioned(tx: Tx, p: Project, t: ProjectTask, mentions: string[], by: string, body: string): Promise<void> {
    const byName = (await this.people.namesOf([by], tx.manager)).get(by) ?? by;
    for (const assignee of mentions)
      await tx.publish('task.mentioned', {
        project_id: String(p.id),
        project: p.name,
        task_id: String(t.id),
        task: t.title,
        ...(p.shopId ? { shop_id: p.shopId } : {}),
        assignee,
        by_name: byName,
        excerpt: excerpt(body),
        url: `/tasks/${t.id}`,
      });
  }

  private async checkMentions(userids: string[], author: string): Promise<string[]> {
    const wanted = [...new Set(userids)].filter((u) => u !== author);
    if (!wanted.length) return [];
    const active = await this.people.active(wanted);
    const missing = wanted.find((u) => !active.has(u));
    if (missing) throw new ValidationError(`提到的成员 ${missing} 不存在或已离职 (unknown member)`, { field: 'mentions' });
    return wanted;
  }
}

const excerpt = (body: string): string => {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
};
