import { Directive, Field, ObjectType } from 'type-graphql';
import { BeforeCreate, BeforeUpdate, Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { RegionalEntity, SearchColumn, SortKeyColumn, sortKeyOf } from '../../kit/index.js';
import { NetworkKind } from '../enums.js';

@ObjectType({ description: 'A state, regional or federal network that links Lokale Bündnisse für Familie.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'network' })
export class Network extends RegionalEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  @SortKeyColumn()
  sortKey: string;

  @Field(() => NetworkKind)
  @Enum({ items: () => NetworkKind, type: 'string' })
  kind: NetworkKind;

  @Field(() => String, { nullable: true, description: 'What the network does and whom it links.' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  website?: string | null;

  /** The organisation (alliances subgraph) that coordinates the network. */
  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  coordinatingBodyId?: string | null;

  @SearchColumn(['name', 'description'])
  search?: string;

  @BeforeCreate()
  @BeforeUpdate()
  protected updateSortKey(): void {
    this.sortKey = sortKeyOf(this.name);
  }
}
