import type { CommentInput, CommentView, OrderPerson } from '@shopcrew/shared';

/**
 * A task's comments and files, the rules that need no Vue: the thread (replies under the comment they answer), @mentions
 * (inserting one, which picked members are still mentioned, the body split for highlighting), the composer's body, and
 * what the upload accepts. Pure, so test/unit/h5/projects.test.ts runs them as they are.
 */

// ---- the thread ----

export interface CommentThread {
  comment: CommentView;
  /** Oldest first; a reply to a reply is listed under the first comment of its chain. */
  replies: CommentView[];
}

/** Top-level comments oldest first, each with its replies. A reply whose comment is not there shows on its own. */
export function threadComments(comments: readonly CommentView[]): CommentThread[] {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const rootOf = (comment: CommentView): CommentView => {
    let current = comment;
    const seen = new Set<number>();
    while (current.parentId !== null && byId.has(current.parentId) && !seen.has(current.id)) {
      seen.add(current.id);
      current = byId.get(current.parentId)!;
    }
    return current;
  };
  const ordered = [...comments].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id);
  const threads = new Map<number, CommentThread>();
  for (const comment of ordered) {
    const root = rootOf(comment);
    if (root.id === comment.id) threads.set(comment.id, { comment, replies: threads.get(comment.id)?.replies ?? [] });
    else {
      const thread = threads.get(root.id) ?? { comment: root, replies: [] };
      thread.replies.push(comment);
      threads.set(root.id, thread);
    }
  }
  return [...threads.values()].sort((a, b) => Date.parse(a.comment.createdAt) - Date.parse(b.comment.createdAt) || a.comment.id - b.comment.id);
}

// ---- @mentions ----

export interface Segment {
  text: string;
  /** The member this `@name` mentions, or null for plain text. */
  mention: OrderPerson | null;
}

/** The body split at every `@name` of a member it mentions (longest names first, so 王芳芳 wins over 王芳). */
export function mentionSegments(body: string, mentions: readonly OrderPerson[]): Segment[] {
  const people = [...mentions].filter((p) => p.name).sort((a, b) => b.name.length - a.name.length);
  const segments: Segment[] = [];
  let text = '';
  let i = 0;
  while (i < body.length) {
    const person = body[i] === '@' ? people.find((p) => body.startsWith(p.name, i + 1)) : undefined;
    if (person) {
      if (text) segments.push({ text, mention: null });
      text = '';
      segments.push({ text: `@${person.name}`, mention: person });
      i += person.name.length + 1;
    } else {
      text += body[i];
      i++;
    }
  }
  if (text) segments.push({ text, mention: null });
  return segments;
}

/**
 * `@name ` written into the body at `caret`; an `@` typed just before the caret (what opened the picker) becomes part of
 * it. Answers the new body and where the caret goes.
 */
export function insertMention(body: string, name: string, caret: number = body.length): { body: string; caret: number } {
  const at = Math.max(0, Math.min(caret, body.length));
  const before = body.slice(0, at);
  const after = body.slice(at);
  const head = before.endsWith('@') ? before.slice(0, -1) : before;
  const needsSpace = head !== '' && !/\s$/.test(head);
  const mention = `${needsSpace ? ' ' : ''}@${name} `;
  return { body: `${head}${mention}${after.replace(/^ /, '')}`, caret: head.length + mention.length };
}

/** Where an `@` was just typed (one character added, and it is `@`): its index, else -1. Opens the mention picker. */
export function typedAt(before: string, after: string): number {
  if (after.length !== before.length + 1) return -1;
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  return after[i] === '@' ? i : -1;
}

/** The picked members whose `@name` is still in the body, once each: the comment's `mentions`. */
export function mentionIds(body: string, picked: readonly OrderPerson[]): string[] {
  const ids = new Set<string>();
  for (const segment of mentionSegments(body, picked)) if (segment.mention) ids.add(segment.mention.userid);
  return [...ids];
}

export const COMMENT_MAX = 2000;

/** POST /api/tasks/:id/comments's body, or why not: nothing written, or more than 2000 characters. */
export function commentInput(
  body: string,
  picked: readonly OrderPerson[],
  parentId: number | null,
): { input: CommentInput } | { error: 'required' | 'tooLong' } {
  const text = body.trim();
  if (!text) return { error: 'required' };
  if (text.length > COMMENT_MAX) return { error: 'tooLong' };
  const mentions = mentionIds(text, picked);
  return { input: { body: text, ...(parentId !== null ? { parentId } : {}), ...(mentions.length ? { mentions } : {}) } };
}

// ---- files ----

export const FILE_MAX_BYTES = 20 * 1024 * 1024;

/** What the server keeps (415 unsupported_file_type for the rest): images, PDF, Office (xlsx, docx, pptx), CSV and text. */
const FILE_KINDS: readonly { ext: readonly string[]; mime: readonly string[] }[] = [
  { ext: ['.jpg', '.jpeg'], mime: ['image/jpeg'] },
  { ext: ['.png'], mime: ['image/png'] },
  { ext: ['.webp'], mime: ['image/webp'] },
  { ext: ['.gif'], mime: ['image/gif'] },
  { ext: ['.pdf'], mime: ['application/pdf'] },
  { ext: ['.xlsx'], mime: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
  { ext: ['.docx'], mime: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'] },
  { ext: ['.pptx'], mime: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'] },
  { ext: ['.csv'], mime: ['text/csv', 'application/vnd.ms-excel'] },
  { ext: ['.txt'], mime: ['text/plain'] },
];

/** The file input's `accept`. */
export const FILE_ACCEPT = FILE_KINDS.flatMap((k) => [...k.ext, ...k.mime]).join(',');

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot).toLowerCase() : '';
};

/**
 * What the server will refuse in a chosen file, said before uploading it: `type` (by its name's extension, as browsers
 * give CSV various types or none), `size` (over 20 MB), `empty`.
 */
export function fileProblem(file: { name: string; type: string; size: number }): 'type' | 'size' | 'empty' | null {
  const ext = extensionOf(file.name);
  const kind = FILE_KINDS.find((k) => k.ext.includes(ext));
  if (!kind || (file.type && !kind.mime.includes(file.type) && file.type !== 'application/octet-stream')) return 'type';
  if (file.size <= 0) return 'empty';
  return file.size > FILE_MAX_BYTES ? 'size' : null;
}

/** `512 B`, `12 KB`, `1.5 MB`. */
export function formatBytes(bytes: number): string {
  if (!(bytes >= 1024)) return `${Math.max(0, Math.round(bytes || 0))} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** The Vant icon of a file without a thumbnail. */
export function fileIcon(mime: string, name: string): string {
  const ext = extensionOf(name);
  if (mime.startsWith('image/')) return 'photo-o';
  if (ext === '.xlsx' || ext === '.csv') return 'bar-chart-o';
  if (ext === '.pptx') return 'tv-o';
  return 'description-o';
}
