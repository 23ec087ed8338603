import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { FieldOfAction, Region } from '../../kit/index.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';

// The generic count types may be declared by other subgraphs too, so they are shareable.
@ObjectType({ description: 'How many records belong to a region.' })
@Directive('@shareable')
export class RegionCount {
  @Field(() => Region) region: Region;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'How many records work in a field of action.' })
@Directive('@shareable')
export class FieldOfActionCount {
  @Field(() => FieldOfAction) fieldOfAction: FieldOfAction;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'How many projects have a status; a null status counts the projects whose status is unknown.' })
export class StatusCount {
  @Field(() => ProjectStatus, { nullable: true }) status: ProjectStatus | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'How many projects a programme funds; a null programme counts the projects whose funding is unknown.' })
export class ProgrammeCount {
  @Field(() => FundingProgramme, { nullable: true }) programme: FundingProgramme | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'How many records start in a year; a null year counts those with an unknown start.' })
@Directive('@shareable')
export class YearCount {
  @Field(() => Int, { nullable: true }) year: number | null;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Dashboard numbers over the projects a filter selects; each breakdown is ordered by count, then key.' })
export class ProjectStatistics {
  @Field(() => Int) total: number;
  @Field(() => [RegionCount]) byRegion: RegionCount[];
  @Field(() => [FieldOfActionCount], { description: 'A project counts once in each of its fields, so these may add up to more than total.' })
  byFieldOfAction: FieldOfActionCount[];

  @Field(() => [StatusCount], { description: 'Adds up to total.' }) byStatus: StatusCount[];
  @Field(() => [ProgrammeCount], { description: 'Adds up to total.' }) byFundingProgramme: ProgrammeCount[];
  @Field(() => [YearCount], { description: 'By the year of startsOn; adds up to total.' }) byYear: YearCount[];
}
