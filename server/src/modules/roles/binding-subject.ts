import { z } from 'zod';
import type { BindingSubjectType } from '@shopcrew/shared';

/**
 * What a role binding may name, checked before anything is looked up (security review: the route
 * used to accept any string, so a binding on `"  "`, `"lina\u202e"` or department 999999 was stored,
 * granted nothing, and read back as something else in the admin screens).
 *
 * Nothing is trimmed or normalised: a value that is not exactly a synced id is refused, never
 * quietly turned into one.
 *  - no `\p{C}` (control, format incl. bidi overrides like U+202E and zero-width characters,
 *    surrogates, private use, unassigned) and no `\p{Z}` / whitespace anywhere;
 *  - departments and tags: a positive 32-bit integer (WeCom ids), as a number or as its digits;
 *  - members: 1–64 characters (WeCom userids; existence in the mirror is checked afterwards).
 */
const INVISIBLE = /\p{C}/u;
const SPACE = /[\s\p{Z}]/u;
const POSITIVE_INT = /^[1-9]\d{0,9}$/;
const INT32_MAX = 2_147_483_647;

export const SUBJECT_TYPE_LABELS: Readonly<Record<BindingSubjectType, string>> = { department: '部门', tag: '标签', user: '成员' };

/** Why `raw` cannot name a subject of `type`, or null when its shape is acceptable. */
export function subjectIdProblem(type: BindingSubjectType, raw: string | number): string | null {
  if (typeof raw === 'number') {
    if (type === 'user') return null; // a numeric userid is legal in WeCom; compared as its digits
    return Number.isSafeInteger(raw) && raw > 0 && raw <= INT32_MAX ? null : `${SUBJECT_TYPE_LABELS[type]} ID 必须是正整数`;
  }
  if (raw.length === 0 || raw.trim().length === 0) return 'subjectId 不能为空或只含空白字符';
  if (INVISIBLE.test(raw)) return 'subjectId 含有控制字符或不可见的格式字符（如 U+202E），请检查后重新输入';
  if (SPACE.test(raw)) return 'subjectId 不能包含空格';
  if (raw.length > 64) return 'subjectId 最长 64 个字符';
  if (type !== 'user' && (!POSITIVE_INT.test(raw) || Number(raw) > INT32_MAX)) return `${SUBJECT_TYPE_LABELS[type]} ID 必须是正整数`;
  return null;
}

/**
 * Which shops a binding covers: 'all', or 1–100 shop ids (marketplace shop ids are digits on Shopee, but
 * any platform's id is accepted: 1–64 visible characters, no spaces).
 */
export const shopScopeSchema = z.union([
  z.literal('all'),
  z
    .array(
      z
        .string()
        .min(1)
        .max(64)
        .refine((id) => !INVISIBLE.test(id) && !SPACE.test(id), '店铺 ID 不能含空格、控制字符或不可见字符'),
    )
    .min(1, '至少选择一个店铺，或选择全部店铺 (shops: "all" or a non-empty list)')
    .max(100),
]);

/** The body of POST /api/roles/bindings; `subjectId` comes out as the string stored in role_bindings. */
export const bindingBody = z
  .object({
    role: z.string().min(1).max(32),
    subjectType: z.enum(['department', 'tag', 'user']),
    subjectId: z.union([z.string(), z.number()]),
    shops: shopScopeSchema.optional(),
  })
  .superRefine((body, ctx) => {
    const problem = subjectIdProblem(body.subjectType, body.subjectId);
    if (problem) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: problem });
  })
  .transform((body) => ({ role: body.role, subjectType: body.subjectType, subjectId: String(body.subjectId), shops: body.shops ?? 'all' }));

/** The body of PATCH /api/roles/bindings/:id. */
export const rescopeBody = z.object({ shops: shopScopeSchema });
