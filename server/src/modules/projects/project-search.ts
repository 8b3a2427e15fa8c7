import { shopsWith, type Actor, type SearchKind, type SearchResponse } from '@shopcrew/shared';
import type { SearchIndex } from '../../platform/search';

/** GET /api/search: the platform's index, scoped to the shops where the member may read projects (and shop-less ones). */
export class ProjectSearch {
  constructor(private readonly index: SearchIndex) {}

  async search(actor: Actor, q: { q: string; kind?: SearchKind; cursor?: string; limit: number }): Promise<SearchResponse> {
    const found = await this.index.search({
      q: q.q,
      kinds: q.kind ? [q.kind] : undefined,
      shops: shopsWith(actor, 'projects:read'),
      cursor: q.cursor,
      limit: q.limit,
    });
    return {
      items: found.items.map((h) => ({
        kind: h.kind,
        id: h.refId,
        projectId: h.projectId,
        taskId: h.taskId,
        title: h.title,
        snippet: h.snippet,
        at: new Date(h.at).toISOString(),
        link: h.taskId ? `/tasks/${h.taskId}` : `/projects/${h.projectId}`,
      })),
      nextCursor: found.nextCursor,
    };
  }
}
