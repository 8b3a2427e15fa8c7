import { MODULES } from '../modules';
import { InboxEntry } from '../wecom/callbacks/inbox-entry.entity';
import { LeaseRow } from './lease.entity';
import { SCHEDULER_ENTITIES } from '../platform/scheduler/entities';
import { EVENT_ENTITIES } from '../platform/events/entities';
import { SEARCH_ENTITIES } from '../platform/search/entities';

/** Tables of the platform itself (leases, the callback inbox, the scheduler, the outbox, search); each module declares its own. */
export const PLATFORM_ENTITIES = [LeaseRow, InboxEntry, ...SCHEDULER_ENTITIES, ...EVENT_ENTITIES, ...SEARCH_ENTITIES];

/** Every entity the DataSource maps: the platform's and each module's (modules/index.ts). */
export const ENTITIES = [...PLATFORM_ENTITIES, ...MODULES.flatMap((m) => m.entities)];
