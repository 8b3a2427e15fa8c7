import type { EntityManager } from 'typeorm';
import type { SearchKind } from '@shopcrew/shared';

/** The search index the module keeps in step, inside its own units (platform/search). */
export interface Indexer {
  upsert(
    m: EntityManager,
    doc: { kind: SearchKind; refId: number; projectId: number; taskId: number | null; shopId: string | null; title: string; body: string; at: number },
  ): Promise<void>;
  remove(m: EntityManager, kind: SearchKind, refId: number): Promise<void>;
  /** A task and its comments and files. */
  removeTask(m: EntityManager, taskId: number): Promise<void>;
}

/** What the module needs of the address book. */
export interface People {
  namesOf(userids: readonly string[], manager?: EntityManager): Promise<Map<string, string>>;
  /** The active members among these userids. */
  active(userids: readonly string[]): Promise<Set<string>>;
}
