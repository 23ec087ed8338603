import { raw } from '@mikro-orm/core';

/** German stemming with umlauts folded (ä→a, ß→ss), so "Saarbrucken" also finds "Saarbrücken". */
export const TEXT_SEARCH_CONFIG = 'hub_german';

/** Run by every subgraph's first migration, before any table uses the configuration. */
export const TEXT_SEARCH_SETUP_SQL = [
  'create extension if not exists unaccent',
  `do $$ begin
     if not exists (select 1 from pg_ts_config where cfgname = '${TEXT_SEARCH_CONFIG}') then
       create text search configuration ${TEXT_SEARCH_CONFIG} (copy = german);
       alter text search configuration ${TEXT_SEARCH_CONFIG}
         alter mapping for hword, hword_part, word with unaccent, german_stem;
     end if;
   end $$`,
];

/** SQL for a generated tsvector column over the given text columns. */
export function searchVectorSql(columns: string[]): string {
  const text = columns.map((c) => `coalesce(${c}, '')`).join(` || ' ' || `);
  return `(to_tsvector('${TEXT_SEARCH_CONFIG}', ${text})) stored`;
}

/**
 * Builds a tsquery from what a person typed: every word must match, each as a stemmed prefix,
 * so "Familien" finds "Familie" and "Familienservice". Only letters and digits survive, which
 * makes the query safe from tsquery syntax errors. Undefined when nothing searchable remains.
 */
export function germanTsQuery(text: string): string | undefined {
  const words = text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return undefined;
  return words.slice(0, 16).map((w) => `${w}:*`).join(' & ');
}

/** A where-condition on an entity's `search` column, for `em.find`. */
export function textSearchCondition(text: string): Record<string, unknown> | undefined {
  const query = germanTsQuery(text);
  if (!query) return undefined;
  const condition = raw((alias: string) => `${alias}.search @@ to_tsquery('${TEXT_SEARCH_CONFIG}', ?)`, [query]);
  return { [condition as unknown as string]: true };
}
