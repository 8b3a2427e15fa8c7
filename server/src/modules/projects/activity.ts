import type { EntityManager } from 'typeorm';
import type { ActivityEntry, ActivityKind } from '@shopcrew/shared';
import { ProjectActivity } from './project.entity';

export interface ActivityInput {
  projectId: number;
  taskId?: number | null;
  actor: string | null;
  kind: ActivityKind;
  field?: string | null;
  from?: string | null;
  to?: string | null;
  text: string;
}

/** One change on the project's log, in the caller's unit (so the log has exactly what was committed). */
export async function logActivity(m: EntityManager, at: number, a: ActivityInput): Promise<void> {
  await m.insert(ProjectActivity, {
    projectId: a.projectId,
    taskId: a.taskId ?? null,
    at,
    actor: a.actor,
    kind: a.kind,
    field: a.field ?? null,
    from: a.from?.slice(0, 500) ?? null,
    to: a.to?.slice(0, 500) ?? null,
    text: a.text.slice(0, 1000),
  });
}

export function activityView(a: ProjectActivity, names: Map<string, string>): ActivityEntry {
  return {
    id: a.id,
    at: new Date(a.at).toISOString(),
    actor: a.actor && a.actor !== 'system' ? { userid: a.actor, name: names.get(a.actor) ?? a.actor } : null,
    kind: a.kind,
    taskId: a.taskId,
    field: a.field,
    from: a.from,
    to: a.to,
    text: a.text,
  };
}
