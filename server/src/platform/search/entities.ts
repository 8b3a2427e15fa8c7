import { SearchDoc } from './search-doc.entity';

/** The search table (db/entities.ts lists it with the platform's other tables). */
export const SEARCH_ENTITIES = [SearchDoc];
