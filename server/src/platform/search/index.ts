/** One search over projects, tasks, comments and attachment names, Chinese included, on both databases (see README.md). */
export { SearchIndex, MAX_BODY_CHARS, MAX_TITLE_CHARS, type SearchDocInput, type SearchHit, type SearchQuery, type SearchResult } from './search-index';
export { SearchDoc, SEARCH_KINDS, type SearchKind } from './search-doc.entity';
export { SEARCH_ENTITIES } from './entities';
export { queryTokens, searchTokens, snippet, type QueryTerm } from './tokens';
