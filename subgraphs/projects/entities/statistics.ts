import { Field, Int, ObjectType } from 'type-graphql';
import { FieldOfActionCount, Region, RegionCount, YearCount } from '../../kit/index.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';
import { Cents } from './funding-line.js';

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

// Money rows carry one summed figure each: regional instances' rows are merged by adding it.
@ObjectType({ description: 'The euro cents of the funding lines of a programme whose amount is known.' })
export class ProgrammeAmount {
  @Field(() => FundingProgramme) programme: FundingProgramme;
  @Field(() => Cents) amountCents: number;
}

@ObjectType({ description: 'The euro cents of the funding lines of a region\'s projects whose amount is known.' })
export class RegionAmount {
  @Field(() => Region) region: Region;
  @Field(() => Cents) amountCents: number;
}

@ObjectType({ description: 'The euro cents of the funding lines starting in a year whose amount is known; a null year sums those whose start is unknown.' })
export class YearAmount {
  @Field(() => Int, { nullable: true }) year: number | null;
  @Field(() => Cents) amountCents: number;
}

@ObjectType({ description: 'Dashboard numbers over the projects a filter selects; each breakdown is ordered by count (or amount), then key.' })
export class ProjectStatistics {
  @Field(() => Int) total: number;
  @Field(() => [RegionCount]) byRegion: RegionCount[];
  @Field(() => [FieldOfActionCount], { description: 'A project counts once in each of its fields, so these may add up to more than total.' })
  byFieldOfAction: FieldOfActionCount[];

  @Field(() => [StatusCount], { description: 'Adds up to total.' }) byStatus: StatusCount[];
  @Field(() => [ProgrammeCount], { description: 'Adds up to total.' }) byFundingProgramme: ProgrammeCount[];
  @Field(() => [YearCount], { description: 'By the year of startsOn; adds up to total.' }) byYear: YearCount[];

  @Field(() => Int, { description: 'The funding lines of these projects (a project may have several, or none).' }) fundingLines: number;
  @Field(() => Int, { description: 'Funding lines whose amount is unknown: left out of every amount, never counted as 0 €.' })
  linesWithoutAmount: number;

  @Field(() => [ProgrammeAmount], { description: 'Known amounts by the programme of each line (co-funding counts under its own programme).' })
  amountByProgramme: ProgrammeAmount[];

  @Field(() => [RegionAmount], { description: 'Known amounts by the project\'s region.' }) amountByRegion: RegionAmount[];
  @Field(() => [YearAmount], { description: 'Known amounts by the year the line starts (the project\'s start where the line gives none).' })
  amountByYear: YearAmount[];

  @Field(() => [ProgrammeCount], { description: 'Lines of unknown amount by programme; adds up to linesWithoutAmount.' })
  linesWithoutAmountByProgramme: ProgrammeCount[];

  @Field(() => [RegionCount], { description: 'Lines of unknown amount by region; adds up to linesWithoutAmount.' })
  linesWithoutAmountByRegion: RegionCount[];

  @Field(() => [YearCount], { description: 'Lines of unknown amount by start year, as amountByYear; adds up to linesWithoutAmount.' })
  linesWithoutAmountByYear: YearCount[];
}
