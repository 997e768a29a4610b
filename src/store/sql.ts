import { type SQL, sql } from 'drizzle-orm';

/**
 * SQL fragments shared by the store's raw queries. Instants cross the driver boundary as epoch
 * milliseconds (a float8 both drivers return as a number, or null) and go in as ISO strings cast to
 * timestamptz, so postgres.js and PGlite read and write them alike.
 */

/** An instant (or null) as epoch milliseconds. */
export const epochMs = (value: SQL) => sql`(extract(epoch from ${value}) * 1000)::float8`;

/** A JavaScript instant as a timestamptz parameter. */
export const instant = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/** An instant as the ISO text `Date#toJSON` writes (`2026-06-30T12:00:00.000Z`), for JSON built in SQL. */
export const isoOf = (value: SQL) =>
  sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A `date` column as `YYYY-MM-DD` text. */
export const dayText = (value: SQL) => sql`to_char(${value}, 'YYYY-MM-DD')`;

/** A JSON array of the query's rows, `[]` when there are none. */
export const jsonRows = (query: SQL) => sql`(select coalesce(json_agg(x), '[]'::json) from (${query}) x)`;

/** Ids as one array parameter (`bigint[]` for bigserial keys, `int[]` for serial ones). */
export const bigintArray = (ids: readonly number[]) => sql`${`{${ids.join(',')}}`}::bigint[]`;
export const intArray = (ids: readonly number[]) => sql`${`{${ids.join(',')}}`}::int[]`;
/** Words (kinds, tiers: no commas, quotes or braces) as one `text[]` parameter. */
export const textArray = (words: readonly string[]) => sql`${`{${words.join(',')}}`}::text[]`;

/** `and <column> = any(<account ids>)`, or nothing when every account is meant (undefined). */
export const onlyAccounts = (column: SQL, accountIds: readonly number[] | undefined) =>
  accountIds ? sql`and ${column} = any(${intArray(accountIds)})` : sql.empty();

/** Epoch milliseconds as read from `epochMs` (a number, or text from some drivers) as a Date; null stays null. */
export const dateOrNull = (ms: number | string | null): Date | null =>
  ms === null ? null : new Date(Number(ms));

/** `recipientSlackId` → `recipient_slack_id`: a schema key as its column is named in SQL. */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** Keys of a schema row whose values a raw query returns as the schema types them: not timestamps. */
type AsStored<Row> = { [K in keyof Row]: [Extract<Row[K], Date>] extends [never] ? K : never }[keyof Row];

/**
 * The part of a raw query's row that selects these columns of a table under their own names, typed from
 * the schema: `Columns<Survey, 'kind' | 'recipientSlackId'>` is `{ kind: SurveyKind; recipient_slack_id:
 * string | null }`. Timestamps are refused (they are selected through `epochMs`); a bigserial id comes
 * back as text from postgres.js, so ids are typed where they are selected, `number | string`.
 */
export type Columns<Row, Key extends AsStored<Row> & string> = { [K in Key as SnakeCase<K>]: Row[K] };
