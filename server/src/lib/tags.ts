import { ValidationError } from '../errors';

export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 20;

/** A label as stored: trimmed, 1–20 characters, no commas (lists are shown joined with them). */
export function checkTag(raw: unknown, field = 'tag'): string {
  const tag = typeof raw === 'string' ? raw.trim() : '';
  if (!tag || [...tag].length > MAX_TAG_LENGTH || /[,，]/.test(tag))
    throw new ValidationError(`标签应为 1–${MAX_TAG_LENGTH} 个字，不含逗号 (a tag is 1–${MAX_TAG_LENGTH} characters, no commas)`, { field });
  return tag;
}

/** The list with `tag` added, or null when it is there already; a full list refuses with 422 too_many_tags. */
export function withTag(tags: readonly string[], tag: string): string[] | null {
  if (tags.includes(tag)) return null;
  if (tags.length >= MAX_TAGS) throw new ValidationError(`最多 ${MAX_TAGS} 个标签 (at most ${MAX_TAGS} tags)`, { field: 'tag', code: 'too_many_tags' });
  return [...tags, tag];
}
