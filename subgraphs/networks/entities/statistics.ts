import { Field, Int, ObjectType } from 'type-graphql';
import { RegionCount, YearCount } from '../../kit/index.js';
import { NetworkKind } from '../enums.js';
import { Network } from './network.js';

@ObjectType({ description: 'How many networks are of a kind.' })
export class NetworkKindCount {
  @Field(() => NetworkKind) kind: NetworkKind;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'A network with the number of its current member alliances.' })
export class NetworkMemberCount {
  /** Resolved through the batched loader, so many rows cost one statement. */
  networkId: string;

  @Field(() => Network) network?: Network;
  @Field(() => Int, { description: 'Member alliances without an until date.' }) members: number;
}

@ObjectType({
  description: 'Dashboard numbers over the networks a filter selects; every number is a count, each breakdown is '
    + 'ordered by count, then key.',
})
export class NetworkStatistics {
  @Field(() => Int, { description: 'How many networks the filter selects.' }) total: number;
  @Field(() => [NetworkKindCount], { description: 'Adds up to total.' }) byKind: NetworkKindCount[];
  @Field(() => [RegionCount], { description: 'Adds up to total.' }) byRegion: RegionCount[];

  @Field(() => [NetworkMemberCount], {
    description: 'One row per selected network, most members first, then by name.',
  })
  memberCounts: NetworkMemberCount[];

  @Field(() => [YearCount], { description: 'Meetings of the selected networks by the year of their date; a null year counts undated meetings.' })
  meetingsByYear: YearCount[];
}
