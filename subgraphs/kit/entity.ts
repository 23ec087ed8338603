import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Region } from './region.js';

/** Columns every stored record has: a region-prefixed id, its region, a version for optimistic locking. */
// Registered as an object type only so subclasses inherit its fields; never reachable itself.
@ObjectType('RegionalEntity')
@Entity({ abstract: true })
export abstract class RegionalEntity {
  @Field(() => ID)
  // Byte-wise order ("C"), like the sort keys: ties in merged lists break the same way everywhere.
  @PrimaryKey({ type: 'string', length: 120, collation: 'C' })
  id: string;

  @Field(() => Region, { description: 'The region that owns this record.' })
  @Enum({ items: () => Region, type: 'string', length: 2 })
  region: Region;

  @Field(() => Int, { description: 'Changes on every update; send it back with an update to detect concurrent edits.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
