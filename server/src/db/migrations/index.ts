import { Initial1763780000000 } from './1763780000000-initial';
import { InboxReceivedBy1763790000000 } from './1763790000000-inbox-received-by';
import { AuditFilterIndexes1763800000000 } from './1763800000000-audit-filter-indexes';
import { SyncTriggerWidth1763810000000 } from './1763810000000-sync-trigger-width';

/** Every migration, in order. `npm run db:migrate` and server start apply them. */
export const MIGRATIONS = [Initial1763780000000, InboxReceivedBy1763790000000, AuditFilterIndexes1763800000000, SyncTriggerWidth1763810000000];
