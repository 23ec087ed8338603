import { Directive, Field, ObjectType } from 'type-graphql';
import { BeforeCreate, BeforeUpdate, Entity, Enum, Index, Property } from '@mikro-orm/decorators/legacy';
import { FIELD_OF_ACTION_LABELS_FUNCTION, FieldOfAction, PartialDate, RegionalEntity, SearchColumn, SortKeyColumn, sortKeyOf } from '../../kit/index.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';

@ObjectType({ description: 'A project of one or more local alliances.' })
@Directive('@key(fields: "id")')
@Entity({ tableName: 'project' })
export class Project extends RegionalEntity {
  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  title: string;

  @SortKeyColumn()
  sortKey: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  summary?: string | null;

  @Field(() => [FieldOfAction])
  @Enum({ items: () => FieldOfAction, array: true, type: 'text[]' })
  fieldsOfAction: FieldOfAction[] = [];

  @Field(() => ProjectStatus, { nullable: true, description: 'Null when the sources do not say.' })
  @Enum({ items: () => ProjectStatus, type: 'string', nullable: true })
  status?: ProjectStatus | null;

  /** Kept with every write of the lines, so filters and breakdowns by programme stay plain column reads. */
  @Field(() => FundingProgramme, {
    nullable: true,
    description: 'The programme of the main funding line (largest amount, then largest share, then first listed); null without lines.',
  })
  @Enum({ items: () => FundingProgramme, type: 'string', nullable: true })
  fundingProgramme?: FundingProgramme | null;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  startsOn?: string | null;

  @Field(() => PartialDate, { nullable: true })
  @Property({ type: 'string', length: 10, nullable: true })
  endsOn?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  website?: string | null;

  /** The alliance in charge, owned by the alliances subgraph. */
  @Index()
  @Property({ type: 'string', length: 120, nullable: true })
  leadAllianceId?: string | null;

  // Id lists of records in other subgraphs; GIN-indexed for `&&` / `@>` lookups.
  @Index({ type: 'gin' })
  @Property({ type: 'string[]' })
  partnerAllianceIds: string[] = [];

  @Index({ type: 'gin' })
  @Property({ type: 'string[]' })
  partnerOrganizationIds: string[] = [];

  @Index({ type: 'gin' })
  @Property({ type: 'string[]' })
  contactIds: string[] = [];

  // Fields of action by their German labels, so "Kinderbetreuung" finds the projects in it.
  @SearchColumn(['title', 'summary', `${FIELD_OF_ACTION_LABELS_FUNCTION}(fields_of_action)`])
  search?: string;

  @BeforeCreate()
  @BeforeUpdate()
  protected updateSortKey(): void {
    this.sortKey = sortKeyOf(this.title);
  }
}
