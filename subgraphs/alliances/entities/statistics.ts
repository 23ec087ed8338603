import { Field, Int, ObjectType } from 'type-graphql';
import { FieldOfActionCount, RegionCount, YearCount } from '../../kit/index.js';
import { OrganizationKind } from '../enums.js';

@ObjectType({ description: 'How many organisations are of a kind.' })
export class OrganizationKindCount {
  @Field(() => OrganizationKind) kind: OrganizationKind;
  @Field(() => Int) count: number;
}

@ObjectType({
  description: 'Dashboard numbers over the alliances a filter selects; every number is a count, each breakdown is '
    + 'ordered by count, then key.',
})
export class AllianceStatistics {
  @Field(() => Int, { description: 'How many alliances the filter selects.' }) total: number;
  @Field(() => [RegionCount], { description: 'Adds up to total.' }) byRegion: RegionCount[];

  @Field(() => [YearCount], { description: 'By the year of foundedOn; a null year counts unknown founding dates. Adds up to total.' })
  byFoundingYear: YearCount[];

  @Field(() => [FieldOfActionCount], { description: 'An alliance counts once in each of its fields, so these may add up to more than total.' })
  byFieldOfAction: FieldOfActionCount[];

  @Field(() => [OrganizationKindCount], {
    description: 'Distinct organisations of their alliance\'s region with a current membership (no leftOn) in the selected '
      + 'alliances, by kind; members of other regions (a federal body in a state\'s alliance) are not counted here.',
  })
  organizationsByKind: OrganizationKindCount[];

  @Field(() => [YearCount], {
    description: 'Every membership of the selected alliances, ended ones included, by the year of joinedOn; '
      + 'a null year counts unknown joining dates.',
  })
  membershipsByYear: YearCount[];

  @Field(() => Int, { description: 'Current memberships (no leftOn) in the selected alliances.' }) memberships: number;
}
