import { z } from 'zod';
import { RUN_STATES, RUN_VIEWS } from '@shopcrew/shared';
import { ValidationError } from '../../errors';
import { actorOf, type AppContext } from '../../http/context';
import type { RouteDef } from '../../http/routes';
import { parse, parseQuery, pathParam } from '../../http/validate';
import type { WeComClient } from '../../wecom/client/wecom-client';
import { readMultipartFile } from '../../http/multipart';
import { MAX_FILE_BYTES, type FileService } from './file.service';
import type { HandoverQuery } from './handover-query';
import type { RunQuery } from './run-query';
import type { RunService } from './run.service';
import { ruleBody, type RuleService } from './rule.service';
import type { SubjectResolver } from './subjects';
import { templateBody, type TemplateService } from './template.service';

const SUBJECT = /^(order|case|member):[A-Za-z0-9_.@-]{1,64}$/;
const listQuery = z.object({
  view: z.enum(RUN_VIEWS).default('mine'),
  subject: z.string().regex(SUBJECT, 'subject 形如 order:单号、case:工单ID、member:账号').optional(),
  state: z.enum(RUN_STATES).optional(),
  cursor: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const runBody = z
  .object({ templateId: z.number().int().positive(), subject: z.string().regex(SUBJECT, 'subject 形如 order:单号、case:工单ID、member:账号').optional() })
  .strict();
const evidence = z
  .object({
    note: z.string().max(2000).optional(),
    link: z.string().max(1000).optional(),
    fileId: z.number().int().positive().optional(),
    // Shown by the H5 beside a photo it just uploaded; the server keeps the stored file's own name.
    fileName: z.string().max(191).optional(),
  })
  .strict();
const stepBody = z.object({ state: z.enum(['done', 'skipped', 'todo']), evidence: evidence.optional(), reason: z.string().max(500).optional() }).strict();
const mediaBody = z.object({ mediaId: z.string().min(1).max(256) }).strict();

export interface SopRouteDeps {
  templates: TemplateService;
  rules: RuleService;
  runs: RunService;
  query: RunQuery;
  files: FileService;
  handovers: HandoverQuery;
  subjects: SubjectResolver;
  wecom: WeComClient;
}

const idParam = (ctx: AppContext, name: string): number => {
  const n = Number(pathParam(ctx, name));
  if (!Number.isSafeInteger(n) || n <= 0) throw new ValidationError(`${name} 无效 (invalid ${name})`, { field: name });
  return n;
};

/** 清单 (SOP): templates with versions, attach rules, runs and their steps, evidence photos, handover reports. */
export function sopRoutes(d: SopRouteDeps): RouteDef[] {
  return [
    { method: 'get', path: '/api/sop/templates', access: 'sop:read', handler: async (ctx) => void (ctx.body = { items: await d.templates.list() }) },
    {
      method: 'post',
      path: '/api/sop/templates',
      access: 'sop:manage',
      handler: async (ctx) => {
        ctx.body = await d.templates.create(actorOf(ctx).userid, await parse(templateBody, ctx), ctx.state.requestId);
        ctx.status = 201;
      },
    },
    { method: 'get', path: '/api/sop/templates/:id', access: 'sop:read', handler: async (ctx) => void (ctx.body = await d.templates.get(idParam(ctx, 'id'))) },
    {
      method: 'put',
      path: '/api/sop/templates/:id',
      access: 'sop:manage',
      handler: async (ctx) =>
        void (ctx.body = await d.templates.update(actorOf(ctx).userid, idParam(ctx, 'id'), await parse(templateBody, ctx), ctx.state.requestId)),
    },
    { method: 'get', path: '/api/sop/rules', access: 'sop:read', handler: async (ctx) => void (ctx.body = { items: await d.rules.list() }) },
    {
      method: 'post',
      path: '/api/sop/rules',
      access: 'sop:manage',
      handler: async (ctx) => {
        ctx.body = await d.rules.create(actorOf(ctx).userid, await parse(ruleBody, ctx), ctx.state.requestId);
        ctx.status = 201;
      },
    },
    {
      method: 'put',
      path: '/api/sop/rules/:id',
      access: 'sop:manage',
      handler: async (ctx) => void (ctx.body = await d.rules.update(actorOf(ctx).userid, idParam(ctx, 'id'), await parse(ruleBody, ctx), ctx.state.requestId)),
    },
    {
      method: 'delete',
      path: '/api/sop/rules/:id',
      access: 'sop:manage',
      handler: async (ctx) => {
        await d.rules.remove(actorOf(ctx).userid, idParam(ctx, 'id'), ctx.state.requestId);
        ctx.status = 204;
      },
    },
    {
      method: 'get',
      path: '/api/sop/runs',
      access: 'sop:read',
      handler: async (ctx) => void (ctx.body = await d.query.list(actorOf(ctx), parseQuery(listQuery, ctx))),
    },
    {
      method: 'post',
      path: '/api/sop/runs',
      access: 'sop:run',
      handler: async (ctx) => {
        const actor = actorOf(ctx);
        const body = await parse(runBody, ctx);
        const id = await d.subjects.startByHand(actor, body.templateId, body.subject ?? null, ctx.state.requestId);
        ctx.body = await d.query.detail(actor, id);
        ctx.status = 201;
      },
    },
    {
      method: 'get',
      path: '/api/sop/runs/:id',
      access: 'sop:read',
      handler: async (ctx) => void (ctx.body = await d.query.detail(actorOf(ctx), idParam(ctx, 'id'))),
    },
    {
      method: 'post',
      path: '/api/sop/runs/:id/steps/:stepId',
      access: 'sop:run',
      handler: async (ctx) => {
        const actor = actorOf(ctx);
        const runId = idParam(ctx, 'id');
        await d.runs.tick(actor, runId, idParam(ctx, 'stepId'), await parse(stepBody, ctx), ctx.state.requestId);
        ctx.body = await d.query.detail(actor, runId);
      },
    },
    {
      method: 'post',
      path: '/api/sop/files',
      access: 'sop:run',
      upload: true,
      handler: async (ctx) => {
        const userid = actorOf(ctx).userid;
        if (ctx.is('application/json')) {
          // A photo taken in WeCom (JS-SDK uploadImage's serverId): fetched from WeCom's temporary media.
          const { mediaId } = await parse(mediaBody, ctx);
          const media = await d.wecom.media.get(mediaId);
          ctx.body = await d.files.save(userid, media.fileName ?? 'photo', media.bytes);
        } else {
          const file = await readMultipartFile(ctx.req, MAX_FILE_BYTES);
          ctx.body = await d.files.save(userid, file.name, file.bytes);
        }
        ctx.status = 201;
      },
    },
    {
      method: 'get',
      path: '/api/sop/files/:fileId',
      access: 'sop:read',
      handler: async (ctx) => {
        const { file, bytes } = await d.files.read(idParam(ctx, 'fileId'));
        ctx.set('Content-Type', file.mime);
        ctx.set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`);
        ctx.set('Cache-Control', 'private, max-age=86400');
        ctx.set('X-Content-Type-Options', 'nosniff');
        ctx.body = bytes;
      },
    },
    {
      method: 'get',
      path: '/api/handovers/:userid',
      access: 'authenticated',
      handler: async (ctx) => void (ctx.body = await d.handovers.of(actorOf(ctx), pathParam(ctx, 'userid'))),
    },
  ];
}
