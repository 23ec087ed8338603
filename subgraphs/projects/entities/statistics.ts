import { Field, Int, ObjectType } from 'type-graphql';
import { FieldOfActionCount, RegionCount, YearCount } from '../../kit/index.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';

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
