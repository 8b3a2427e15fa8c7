import { NotFoundError, ValidationError } from '../../errors';
import type { AutomationActionDef } from '../../platform/automation-actions';
import type { DomainEvent } from '../../platform/events';
import type { RunService, RunSubject } from './run.service';
import { SopTemplate } from './sop.entity';

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** What the checklist is about: the event's order, else its case, else the member it names; none for a schedule. */
function subjectOf(e: DomainEvent): RunSubject | null {
  const order = str(e.payload['order_id']);
  if (order && order !== '—') return { type: 'order', id: order, label: `订单 ${order}` };
  const kase = str(e.payload['case_id']);
  if (kase) return { type: 'case', id: kase, label: `售后 #${kase}` };
  const member = str(e.payload['userid']);
  if (member) return { type: 'member', id: member, label: `成员 ${str(e.payload['name']) ?? member}` };
  return null;
}

/**
 * 发起清单: starts a checklist template on the event's subject (one run per subject and version, like the SOP module's
 * own rules, so a rule firing twice starts one).
 */
export function checklistAutomationAction(runs: RunService): AutomationActionDef {
  const template = async (m: Parameters<AutomationActionDef['check']>[1]['manager'], id: unknown) => {
    const t = typeof id === 'number' ? await m.findOneBy(SopTemplate, { id }) : null;
    if (!t) throw new NotFoundError('清单模板不存在 (template not found)');
    return t;
  };
  return {
    key: 'checklist.start',
    label: '发起清单',
    subject: null,
    params: { templateId: { label: '清单模板', kind: 'sop_template' } },
    check: async (params, tx) => {
      if (typeof params['templateId'] !== 'number') throw new ValidationError('请选择清单模板 (params.templateId)', { field: 'params.templateId' });
      await template(tx.manager, params['templateId']).catch(() => {
        throw new ValidationError('清单模板不存在 (params.templateId: template not found)', { field: 'params.templateId' });
      });
      return { templateId: params['templateId'] };
    },
    preview: async ({ params, event, tx }) => {
      const t = await template(tx.manager, params['templateId']);
      const subject = subjectOf(event);
      return `发起清单「${t.name}」${subject ? `（${subject.label}）` : ''}`;
    },
    run: async ({ params, event, tx }) => {
      const t = await template(tx.manager, params['templateId']);
      const subject = subjectOf(event);
      const run = await runs.start(tx, {
        templateId: t.id,
        subject,
        shopId: str(event.payload['shop_id']),
        startedBy: 'system',
        subjectAssignee: str(event.payload['assignee']),
      });
      return run ? `已发起清单「${t.name}」${subject ? `（${subject.label}）` : ''}` : `${subject?.label ?? ''} 已有清单「${t.name}」，未重复发起`;
    },
  };
}
