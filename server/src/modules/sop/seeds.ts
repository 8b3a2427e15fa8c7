import type { SopCategory, SopStepSpec, StepAssigneeSpec } from '@shopcrew/shared';

/** A seeded SOP, from the seller-team guide (../shared/seeds, 四、SOP、模板与培训材料) and the project guide's chain. */
export interface SeedTemplate {
  key: string;
  name: string;
  category: SopCategory;
  description: string;
  steps: SopStepSpec[];
}

const H = 60;
const step = (
  title: string,
  assignee: StepAssigneeSpec,
  opts: { description?: string; evidence?: SopStepSpec['evidence']; required?: boolean; dueHours?: number } = {},
): SopStepSpec => ({
  title,
  description: opts.description ?? '',
  assignee,
  evidence: opts.evidence ?? 'none',
  evidenceRequired: opts.required ?? false,
  dueOffsetMinutes: opts.dueHours === undefined ? null : Math.round(opts.dueHours * H),
});
const subject = { kind: 'subject_assignee' } as const;
const lead = { kind: 'lead' } as const;
const role = (r: 'owner' | 'ops_manager' | 'cs_lead' | 'cs_agent' | 'warehouse' | 'marketing' | 'designer') => ({ kind: 'role', role: r }) as const;

export const SEED_TEMPLATES: SeedTemplate[] = [
  {
    key: 'order.new',
    name: '新订单处理',
    category: 'order',
    description: '新订单到来：客服接单分配 → 确认库存与发货时效 → 下发发货任务 → 跟进物流、提醒顾客',
    steps: [
      step('客服接单分配', role('cs_agent'), { dueHours: 1 }),
      step('确认库存与发货时效', subject, { evidence: 'note', dueHours: 4 }),
      step('下发发货任务', role('warehouse'), { dueHours: 24 }),
      step('跟进物流、提醒顾客', subject, { description: '短信/消息提醒顾客物流进度', evidence: 'note', dueHours: 72 }),
    ],
  },
  {
    key: 'aftersales.case',
    name: '售后处理',
    category: 'aftersales',
    description: '接单 → 确认问题 → 提供解决方案 → 记录在案 → 完成/关闭',
    steps: [
      step('接单', role('cs_agent'), { dueHours: 2 }),
      step('确认问题', subject, { description: '核对买家描述与照片', evidence: 'photo', dueHours: 8 }),
      step('提供解决方案', subject, { evidence: 'note', required: true, dueHours: 24 }),
      step('记录在案', subject, { evidence: 'note', required: true, dueHours: 48 }),
      step('完成/关闭', subject, { dueHours: 72 }),
    ],
  },
  {
    key: 'member.onboarding',
    name: '入职',
    category: 'onboarding',
    description: '新成员加入企业微信后的入职与权限分配清单',
    steps: [
      step('创建企业微信账号', lead, { description: '确认账号已激活、姓名与部门正确', dueHours: 24 }),
      step('开通 Shopee 子账号', role('owner'), { description: '每人独立账号，不共用登录信息', evidence: 'note', required: true, dueHours: 48 }),
      step('分配所属部门与角色', role('owner'), { description: '按岗位分配，最小权限', dueHours: 48 }),
      step('配置二步验证', subject, { description: 'Shopee 与企业微信都启用两步验证（2FA）', evidence: 'photo', required: true, dueHours: 72 }),
      step('培训：权限与安全要点、多账户操作规范、常见问题、数据保护', lead, {
        description: 'Shopee 账户与企业微信的权限与安全要点；多账户操作规范与日志的重要性；常见问题及排错方法；数据保护与合规要点',
        evidence: 'note',
        dueHours: 7 * 24,
      }),
    ],
  },
  {
    key: 'member.offboarding',
    name: '离职/调岗',
    category: 'offboarding',
    description: '成员离职或调岗：收回访问权限 → 导出必要数据 → 交接未完成的工作',
    steps: [
      step('收回访问权限', role('owner'), {
        description: 'Shopee 子账号停用或改权限；ShopCrew 的会话与个人授权已自动收回',
        evidence: 'note',
        required: true,
        dueHours: 4,
      }),
      step('导出必要数据', lead, { evidence: 'link', dueHours: 24 }),
      step('交接未完成的工作', lead, { description: '核对交接清单中的订单、售后与清单步骤', dueHours: 48 }),
    ],
  },
  {
    key: 'shop.daily',
    name: '每日店铺检查',
    category: 'daily',
    description: '每天开店前的例行检查',
    steps: [
      step('检查新订单与待认领', role('cs_agent'), { dueHours: 1 }),
      step('检查即将超时的售后工单', role('cs_lead'), { dueHours: 2 }),
      step('检查库存异常与缺货', role('warehouse'), { evidence: 'note', dueHours: 3 }),
      step('检查广告数据与投放', role('marketing'), { dueHours: 4 }),
      step('查看店铺评分与违规提醒', role('ops_manager'), { evidence: 'note', dueHours: 8 }),
    ],
  },
  {
    key: 'promotion.prepare',
    name: '大促准备',
    category: 'promotion',
    description: '选品策划 → 主图优化 → 定价策略 → 活动报名 → 投流测试 → 数据复盘',
    steps: [
      step('选品策划', role('ops_manager'), { evidence: 'link', dueHours: 3 * 24 }),
      step('主图优化', role('designer'), { evidence: 'photo', dueHours: 6 * 24 }),
      step('定价策略', role('ops_manager'), { evidence: 'note', required: true, dueHours: 8 * 24 }),
      step('活动报名', role('ops_manager'), { evidence: 'link', dueHours: 10 * 24 }),
      step('投流测试', role('marketing'), { evidence: 'note', dueHours: 12 * 24 }),
      step('数据复盘', role('ops_manager'), { evidence: 'note', required: true, dueHours: 16 * 24 }),
    ],
  },
];

/** The rules a fresh install starts with: onboarding on joining, offboarding on leaving; order and case SOPs by hand. */
export const SEED_RULES: Array<{ template: string; trigger: 'member_joined' | 'member_left' }> = [
  { template: 'member.onboarding', trigger: 'member_joined' },
  { template: 'member.offboarding', trigger: 'member_left' },
];
