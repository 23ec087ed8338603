import { Index, Property } from '@mikro-orm/decorators/legacy';
import { allDecorators } from './decorators.js';
import { searchVectorSql } from './text-search.js';

type ColumnDecorator = (target: object, propertyName: string) => void;

const all = allDecorators<string>;

/** The `sortKey` column lists are ordered by: byte-wise (collation "C"), filled from `sortKeyOf`. */
export function SortKeyColumn(): ColumnDecorator {
  return all(Index<Record<string, unknown>, string>() as ColumnDecorator, Property({ type: 'string', length: 200, collation: 'C' }));
}

/** The `search` column: a generated German tsvector over the given columns, GIN-indexed, never selected. */
export function SearchColumn(columns: string[]): ColumnDecorator {
  return all(
    Index<Record<string, unknown>, string>({ type: 'fulltext' }) as ColumnDecorator,
    Property({
      type: 'tsvector', columnType: 'tsvector', lazy: true, hidden: true, nullable: true,
      generated: searchVectorSql(columns),
    }),
  );
}
