import { Initial1763780000000 } from './1763780000000-initial';
import { InboxReceivedBy1763790000000 } from './1763790000000-inbox-received-by';

/** Every migration, in order. `npm run db:migrate` and server start apply them. */
export const MIGRATIONS = [Initial1763780000000, InboxReceivedBy1763790000000];
