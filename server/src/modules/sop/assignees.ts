import type { EntityManager } from 'typeorm';
import type { RoleKey, SopStepSpec } from '@shopcrew/shared';

/** What a step's assignee is chosen from when a run starts. */
export interface AssigneeBasis {
  /** The order's or case's assignee, or the member a member's checklist is about. */
  subjectAssignee: string | null;
  /** Whose lead `lead` steps go to: the member the checklist is about, else whoever started it. */
  leadOf: string | null;
}

export interface AssigneeDeps {
  /** A member's lead (org: main department's leader, else up the tree), else an owner; null when there is none. */
  leadFor(userid: string | null, manager: EntityManager): Promise<string | null>;
}

/** The step's member, or its role (anyone holding it in the run's shop may tick). */
export async function resolveAssignee(
  spec: SopStepSpec['assignee'],
  basis: AssigneeBasis,
  deps: AssigneeDeps,
  manager: EntityManager,
): Promise<{ assignee: string | null; role: RoleKey | null }> {
  switch (spec.kind) {
    case 'role':
      return { assignee: null, role: spec.role };
    case 'member':
      return { assignee: spec.userid, role: null };
    case 'subject_assignee':
      return { assignee: basis.subjectAssignee, role: null };
    case 'lead':
      return { assignee: await deps.leadFor(basis.leadOf, manager), role: null };
  }
}
