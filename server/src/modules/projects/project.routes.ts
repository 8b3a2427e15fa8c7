import { z } from 'zod';
import { PROJECT_STATES, SEARCH_KINDS } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import { actorOf, type AppContext } from '../../http/context';
import { readMultipartFile } from '../../http/multipart';
import type { RouteDef } from '../../http/routes';
import { parse, parseQuery, pathParam } from '../../http/validate';
import { commentBody, commentEditBody, type CommentService } from './comment.service';
import { MAX_ATTACHMENT_BYTES, type ProjectFileService } from './file.service';
import { listQuery, projectBody, projectPatchBody, type ProjectService } from './project.service';
import type { ProjectSearch } from './project-search';
import type { TaskQuery } from './task-query';
import { moveBody, taskBody, taskPatchBody, type TaskService } from './task.service';
import { PROJECT_TEMPLATES } from './templates';

const transitionBody = z.object({ to: z.enum(PROJECT_STATES) }).strict();
const activityQuery = z.object({ cursor: z.string().regex(/^\d+$/).optional() });
const myTasksQuery = z.object({ view: z.enum(['mine']).default('mine') });
const searchQuery = z.object({
  q: z.string().max(100).default(''),
  kind: z.enum(SEARCH_KINDS).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export interface ProjectRouteDeps {
  projects: ProjectService;
  tasks: TaskService;
  taskQuery: TaskQuery;
  comments: CommentService;
  files: ProjectFileService;
  search: ProjectSearch;
}

const idParam = (ctx: AppContext, name = 'id'): number => {
  const n = Number(pathParam(ctx, name));
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError(`${name} 无效 (invalid ${name})`, { field: name });
  return n;
};

/** 项目: projects, tasks, comments, files, search. Reading needs projects:read; the services check manage / task owner. */
export function projectRoutes(d: ProjectRouteDeps): RouteDef[] {
  const rid = (ctx: AppContext) => ctx.state.requestId;
  return [
    { method: 'get', path: '/api/projects/templates', access: 'projects:read', handler: (ctx) => void (ctx.body = { items: PROJECT_TEMPLATES }) },
    {
      method: 'get',
      path: '/api/projects',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.projects.list(actorOf(ctx), parseQuery(listQuery, ctx))),
    },
    {
      method: 'post',
      path: '/api/projects',
      access: 'projects:manage',
      handler: async (ctx) => {
        ctx.body = await d.projects.create(actorOf(ctx), await parse(projectBody, ctx), rid(ctx));
        ctx.status = 201;
      },
    },
    {
      method: 'get',
      path: '/api/projects/:id',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.projects.detail(actorOf(ctx), idParam(ctx))),
    },
    {
      method: 'put',
      path: '/api/projects/:id',
      access: 'projects:manage',
      handler: async (ctx) => void (ctx.body = await d.projects.update(actorOf(ctx), idParam(ctx), await parse(projectPatchBody, ctx), rid(ctx))),
    },
    {
      method: 'post',
      path: '/api/projects/:id/transition',
      access: 'projects:manage',
      handler: async (ctx) => void (ctx.body = await d.projects.transition(actorOf(ctx), idParam(ctx), (await parse(transitionBody, ctx)).to, rid(ctx))),
    },
    {
      method: 'get',
      path: '/api/projects/:id/activity',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.projects.activity(actorOf(ctx), idParam(ctx), parseQuery(activityQuery, ctx).cursor)),
    },
    {
      method: 'post',
      path: '/api/projects/:id/tasks',
      access: 'projects:manage',
      handler: async (ctx) => {
        ctx.body = await d.tasks.add(actorOf(ctx), idParam(ctx), await parse(taskBody, ctx), rid(ctx));
        ctx.status = 201;
      },
    },
    {
      method: 'get',
      path: '/api/tasks',
      access: 'projects:read',
      handler: async (ctx) => {
        parseQuery(myTasksQuery, ctx);
        ctx.body = { items: await d.tasks.mine(actorOf(ctx)) };
      },
    },
    {
      method: 'get',
      path: '/api/tasks/:id',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.taskQuery.detail(actorOf(ctx), idParam(ctx))),
    },
    {
      method: 'patch',
      path: '/api/tasks/:id',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.tasks.patch(actorOf(ctx), idParam(ctx), await parse(taskPatchBody, ctx), rid(ctx))),
    },
    {
      method: 'delete',
      path: '/api/tasks/:id',
      access: 'projects:manage',
      handler: async (ctx) => {
        await d.tasks.remove(actorOf(ctx), idParam(ctx), rid(ctx));
        ctx.status = 204;
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/move',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.tasks.move(actorOf(ctx), idParam(ctx), await parse(moveBody, ctx), rid(ctx))),
    },
    {
      method: 'post',
      path: '/api/tasks/:id/comments',
      access: 'projects:read',
      handler: async (ctx) => {
        ctx.body = await d.comments.add(actorOf(ctx), idParam(ctx), await parse(commentBody, ctx), rid(ctx));
        ctx.status = 201;
      },
    },
    {
      method: 'put',
      path: '/api/comments/:id',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.comments.edit(actorOf(ctx), idParam(ctx), (await parse(commentEditBody, ctx)).body, rid(ctx))),
    },
    {
      method: 'get',
      path: '/api/comments/:id/history',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = { items: await d.comments.history(actorOf(ctx), idParam(ctx)) }),
    },
    {
      method: 'post',
      path: '/api/tasks/:id/files',
      access: 'projects:read',
      upload: true,
      handler: async (ctx) => {
        const file = await readMultipartFile(ctx.req, MAX_ATTACHMENT_BYTES);
        ctx.body = await d.files.upload(actorOf(ctx), idParam(ctx), file.name, file.bytes, rid(ctx));
        ctx.status = 201;
      },
    },
    ...(['file', 'thumbnail'] as const).map((variant): RouteDef => ({
      method: 'get',
      path: variant === 'file' ? '/api/project-files/:id' : '/api/project-files/:id/thumbnail',
      access: 'projects:read',
      handler: async (ctx) => {
        const { file, bytes, mime } = await d.files.read(actorOf(ctx), idParam(ctx), variant);
        ctx.set('Content-Type', mime);
        // Images and PDFs open inline; anything else downloads. nosniff: the type we checked is the type sent.
        const inline = variant === 'thumbnail' || mime.startsWith('image/') || mime === 'application/pdf';
        ctx.set('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`);
        ctx.set('Cache-Control', 'private, max-age=86400');
        ctx.set('X-Content-Type-Options', 'nosniff');
        ctx.body = bytes;
      },
    })),
    {
      method: 'get',
      path: '/api/search',
      access: 'projects:read',
      handler: async (ctx) => void (ctx.body = await d.search.search(actorOf(ctx), parseQuery(searchQuery, ctx))),
    },
  ];
}
