import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayUnique, IsOptional, Max, Min } from 'class-validator';
import { FieldOfAction, IdField, IdListField, PartialDate, Region, TextField, UrlField } from '../../kit/index.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';
import { PeriodInput } from './period.inputs.js';

const NO_REPEATS = { message: '$property must not name the same value twice' };

@InputType({ description: 'Narrows projects; the conditions combine with AND, the values within one with OR.' })
export class ProjectFilter {
  @Field(() => String, { nullable: true, description: 'German full-text search over title and summary.' })
  text?: string | null;

  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [Region], { nullable: true }) regions?: Region[] | null;
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [FieldOfAction], { nullable: true, description: 'Projects working in any of these.' }) fieldsOfAction?: FieldOfAction[] | null;
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [ProjectStatus], { nullable: true }) statuses?: ProjectStatus[] | null;
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [FundingProgramme], { nullable: true }) fundingProgrammes?: FundingProgramme[] | null;

  @Field(() => [Int], { nullable: true, description: 'Projects starting in any of these years.' })
  @IsOptional() @ArrayMaxSize(100)
  @Min(1000, { each: true, message: 'each of years must be a four-digit year' })
  @Max(9999, { each: true, message: 'each of years must be a four-digit year' })
  years?: number[] | null;

  @Field(() => PeriodInput, {
    nullable: true,
    description: 'Projects running at some time in the period (from startsOn to endsOn; no endsOn means still running). '
      + 'Projects without startsOn are left out.',
  })
  period?: PeriodInput | null;

  @IdField('alliance', { nullable: true, description: 'Projects led by this alliance.' })
  leadAllianceId?: string | null;
}

/** Fields a project has besides its identity; shared by create and update. */
@InputType('ProjectFields')
abstract class ProjectFields {
  @TextField(5000, { nullable: true }) summary?: string | null;

  @Field(() => [FieldOfAction], { nullable: true })
  @IsOptional() @ArrayMaxSize(20) @ArrayUnique(NO_REPEATS)
  fieldsOfAction?: FieldOfAction[] | null;

  @Field(() => ProjectStatus, { nullable: true }) status?: ProjectStatus | null;
  @Field(() => FundingProgramme, { nullable: true }) fundingProgramme?: FundingProgramme | null;
  @Field(() => PartialDate, { nullable: true }) startsOn?: string | null;
  @Field(() => PartialDate, { nullable: true }) endsOn?: string | null;
  @UrlField({ nullable: true }) website?: string | null;

  @IdField('alliance', { nullable: true, description: 'The alliance in charge.' })
  leadAllianceId?: string | null;

  @IdListField('alliance', 100, { nullable: true, description: 'Other alliances taking part (not the lead).' })
  @ArrayUnique(NO_REPEATS)
  partnerAllianceIds?: string[] | null;

  @IdListField('organization', 200, { nullable: true }) @ArrayUnique(NO_REPEATS)
  partnerOrganizationIds?: string[] | null;

  @IdListField('person', 100, { nullable: true, description: 'People to contact about the project.' })
  @ArrayUnique(NO_REPEATS)
  contactIds?: string[] | null;
}

@InputType()
export class CreateProjectInput extends ProjectFields {
  @Field(() => Region, { description: 'The owning region; it cannot change later.' }) region: Region;
  @TextField(300) title: string;
}

@InputType()
export class UpdateProjectInput extends ProjectFields {
  @IdField('project') id: string;
  @Field(() => Int, { description: 'The version you read; a newer one on the server refuses the update.' })
  @Min(1) version: number;
  @TextField(300, { nullable: true }) title?: string | null;
}
