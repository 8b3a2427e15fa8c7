import type { ValueTransformer } from 'typeorm';

/**
 * Times are stored as epoch milliseconds in BIGINT columns. One representation on MySQL and SQLite
 * means leases and expiries compare the same way in both, with no driver date conversion in between.
 * mysql2 returns BIGINT as a string (TypeORM sets bigNumberStrings), so read it back as a number.
 */
export const epochMs: ValueTransformer = {
  from: (value: string | number | null | undefined) => (value === null || value === undefined ? null : Number(value)),
  to: (value: number | null | undefined) => value,
};

/** JSON kept in a TEXT column (MySQL JSON and SQLite JSON1 differ; the app never queries inside it). */
export const jsonText: ValueTransformer = {
  from: (value: string | null | undefined): unknown => (value ? (JSON.parse(value) as unknown) : null),
  to: (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value)),
};

/** A JSON list of strings in a VARCHAR column that is never NULL: an insert that leaves it out stores `[]`. */
export const stringList: ValueTransformer = {
  from: (value: string | null | undefined): string[] => (value ? (JSON.parse(value) as string[]) : []),
  to: (value: string[] | null | undefined) => JSON.stringify(value ?? []),
};
