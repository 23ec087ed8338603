import { Directive, Field, ObjectType } from 'type-graphql';
import { BeforeCreate, BeforeUpdate, Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { RegionalEntity, SearchColumn, SortKeyColumn, sortKeyOf } from '../../kit/index.js';
import { OrganizationKind } from '../enums.js';

@ObjectType({ description: 'An organisation that is a member or partner of alliances and networks.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'organization' })
export class Organization extends RegionalEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name: string;

  @SortKeyColumn()
  sortKey: string;

  @Field(() => OrganizationKind)
  @Enum({ items: () => OrganizationKind, type: 'string' })
  kind: OrganizationKind;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'The organisation\'s own public address (not a person\'s).' })
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'The organisation\'s own public number (not a person\'s).' })
  @Property({ type: 'string', length: 40, nullable: true })
  phone?: string | null;

  @SearchColumn(['name'])
  search?: string;

  @BeforeCreate()
  @BeforeUpdate()
  protected updateSortKey(): void {
    this.sortKey = sortKeyOf(this.name);
  }
}
