import type { EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

export interface AuditInput {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/**
 * Appends to the audit trail. Pass the transaction's EntityManager so the entry commits or rolls
 * back together with the change it describes.
 */
export class AuditService {
  constructor(private readonly now: () => number = Date.now) {}

  /** Inside the caller's transaction, always: an entry commits or rolls back with its change. */
  async record(input: AuditInput, manager: EntityManager): Promise<void> {
    await manager.insert(AuditEntry, {
      at: this.now(),
      actor: input.actor,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId === undefined || input.targetId === null ? null : String(input.targetId),
      before: input.before ?? null,
      after: input.after ?? null,
      requestId: input.requestId ?? null,
    });
  }
}
