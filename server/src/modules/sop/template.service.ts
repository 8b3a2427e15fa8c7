import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { EVIDENCE_TYPES, ROLE_KEYS, SOP_CATEGORIES, type SopTemplateDetail, type SopTemplateInput, type SopTemplateSummary } from '@shopcrew/shared';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { Tx, UnitOfWork } from '../../platform/tx';
import { SEED_RULES, SEED_TEMPLATES } from './seeds';
import { SopRuleRow, SopTemplate, SopTemplateVersion } from './sop.entity';

const assignee = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('role'), role: z.enum(ROLE_KEYS) }).strict(),
  z.object({ kind: z.literal('subject_assignee') }).strict(),
  z.object({ kind: z.literal('lead') }).strict(),
  z.object({ kind: z.literal('member'), userid: z.string().min(1).max(64) }).strict(),
]);
const stepSpec = z
  .object({
    title: z.string().trim().min(1, '请填写步骤标题 (a step needs a title)').max(100),
    description: z.string().max(1000).default(''),
    assignee,
    evidence: z.enum(EVIDENCE_TYPES).default('none'),
    evidenceRequired: z.boolean().default(false),
    dueOffsetMinutes: z
      .number()
      .int()
      .min(0)
      .max(366 * 24 * 60)
      .nullable()
      .default(null),
  })
  .strict()
  .refine((s) => !s.evidenceRequired || s.evidence !== 'none', { message: '要求凭证的步骤需选择凭证类型 (choose an evidence type)', path: ['evidence'] });
export const templateBody = z
  .object({
    name: z.string().trim().min(1, '请填写清单名称 (name is required)').max(100),
    category: z.enum(SOP_CATEGORIES),
    description: z.string().max(500).default(''),
    steps: z.array(stepSpec).min(1, '至少需要一个步骤 (at least one step)').max(50),
  })
  .strict();

export interface TemplateDeps {
  /** Active members among these userids (a named member must exist). */
  activeMembers(userids: readonly string[]): Promise<Set<string>>;
  namesOf(userids: readonly string[]): Promise<Map<string, string>>;
}

/** Versioned checklist templates: editing publishes a new version; runs keep the version they started with. */
export class TemplateService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly deps: TemplateDeps,
    private readonly now: () => number,
  ) {}

  async list(): Promise<SopTemplateSummary[]> {
    const templates = await this.ds.getRepository(SopTemplate).find({ order: { category: 'ASC', id: 'ASC' } });
    const versions = await this.currentVersions(templates);
    return templates.map((t) => summary(t, versions.get(t.id)?.steps.length ?? 0));
  }

  async get(id: number): Promise<SopTemplateDetail> {
    const t = await this.ds.getRepository(SopTemplate).findOneBy({ id });
    if (!t) throw new NotFoundError('清单模板不存在 (template not found)');
    const versions = await this.ds.getRepository(SopTemplateVersion).find({ where: { templateId: id }, order: { version: 'DESC' } });
    const names = await this.deps.namesOf([...new Set(versions.map((v) => v.publishedBy))]);
    const current = versions.find((v) => v.version === t.currentVersion)!;
    return {
      ...summary(t, current.steps.length),
      steps: current.steps,
      versions: versions.map((v) => ({
        version: v.version,
        steps: v.steps,
        publishedBy: v.publishedBy === 'system' ? null : { userid: v.publishedBy, name: names.get(v.publishedBy) ?? v.publishedBy },
        publishedAt: new Date(v.publishedAt).toISOString(),
      })),
    };
  }

  async create(userid: string, input: SopTemplateInput, requestId?: string): Promise<SopTemplateDetail> {
    await this.checkMembers(input);
    const id = await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const t = await this.insert(tx, { ...input, description: input.description ?? '' }, userid, null);
      await tx.audit({
        action: 'sop.template_created',
        targetType: 'sop_template',
        targetId: String(t.id),
        after: { name: t.name, steps: input.steps.length },
      });
      return t.id;
    });
    return this.get(id);
  }

  /** Publish the edit as version n+1 (a compare-and-set on current_version: two editors cannot both publish n+1). */
  async update(userid: string, id: number, input: SopTemplateInput, requestId?: string): Promise<SopTemplateDetail> {
    await this.checkMembers(input);
    await this.uow.run({ actor: userid, requestId }, async (tx) => {
      const t = await tx.manager.findOneBy(SopTemplate, { id });
      if (!t) throw new NotFoundError('清单模板不存在 (template not found)');
      const next = t.currentVersion + 1;
      const now = this.now();
      const moved = await tx.manager.update(
        SopTemplate,
        { id, currentVersion: t.currentVersion },
        { name: input.name, category: input.category, description: input.description ?? '', currentVersion: next, updatedAt: now },
      );
      if (moved.affected !== 1) throw new ConflictError('模板刚被别人修改，请刷新后再保存 (the template changed meanwhile)', 'template_changed');
      await tx.manager.insert(SopTemplateVersion, { templateId: id, version: next, steps: input.steps, publishedBy: userid, publishedAt: now });
      await tx.audit({
        action: 'sop.template_published',
        targetType: 'sop_template',
        targetId: String(id),
        before: { version: t.currentVersion },
        after: { version: next, name: input.name, steps: input.steps.length },
      });
    });
    return this.get(id);
  }

  /** The seeded SOPs and their rules, once (seed_key is unique, so booting instances cannot add them twice). */
  async ensureSeeds(tx: Tx): Promise<number> {
    let added = 0;
    for (const seed of SEED_TEMPLATES) {
      if (await tx.manager.existsBy(SopTemplate, { seedKey: seed.key })) continue;
      const t = await this.insert(tx, seed, 'system', seed.key);
      for (const r of SEED_RULES.filter((x) => x.template === seed.key))
        await tx.manager.insert(SopRuleRow, {
          templateId: t.id,
          trigger: r.trigger,
          shopId: null,
          orderStatus: null,
          caseType: null,
          enabled: 1,
          createdBy: 'system',
          createdAt: this.now(),
        });
      added++;
    }
    return added;
  }

  private async insert(
    tx: Tx,
    input: Required<Pick<SopTemplateInput, 'name' | 'category' | 'steps'>> & { description: string },
    by: string,
    seedKey: string | null,
  ): Promise<SopTemplate> {
    const now = this.now();
    const res = await tx.manager.insert(SopTemplate, {
      seedKey,
      name: input.name,
      category: input.category,
      description: input.description,
      currentVersion: 1,
      createdBy: by,
      createdAt: now,
      updatedAt: now,
    });
    const id = Number((res.identifiers[0] as { id: number }).id);
    await tx.manager.insert(SopTemplateVersion, { templateId: id, version: 1, steps: input.steps, publishedBy: by, publishedAt: now });
    return tx.manager.findOneByOrFail(SopTemplate, { id });
  }

  private async checkMembers(input: SopTemplateInput): Promise<void> {
    const named = input.steps.flatMap((s) => (s.assignee.kind === 'member' ? [s.assignee.userid] : []));
    if (!named.length) return;
    const active = await this.deps.activeMembers(named);
    const missing = named.find((u) => !active.has(u));
    if (missing) throw new ValidationError(`成员 ${missing} 不存在或已离职 (unknown member)`, { field: 'steps.assignee.userid' });
  }

  private async currentVersions(templates: SopTemplate[]): Promise<Map<number, SopTemplateVersion>> {
    if (!templates.length) return new Map();
    const rows = await this.ds.getRepository(SopTemplateVersion).findBy({ templateId: In(templates.map((t) => t.id)) });
    const current = new Map(templates.map((t) => [t.id, t.currentVersion]));
    return new Map(rows.filter((v) => current.get(v.templateId) === v.version).map((v) => [v.templateId, v]));
  }
}

function summary(t: SopTemplate, stepCount: number): SopTemplateSummary {
  return {
    id: t.id,
    name: t.name,
    category: t.category,
    description: t.description,
    version: t.currentVersion,
    stepCount,
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}
