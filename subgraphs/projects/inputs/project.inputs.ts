import { Field, Float, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayUnique, IsInt, IsOptional, Max, Min, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { FieldOfAction, IdField, IdListField, NotBefore, PartialDateField, Region, TextField, UrlField } from '../../kit/index.js';
import { Cents } from '../entities/funding-line.js';
import { FundingProgramme, ProjectStatus } from '../enums.js';
import { PeriodInput } from './period.inputs.js';

const NO_REPEATS = { message: '$property must not name the same value twice' };

/** The most funding lines one project has. */
export const MAX_FUNDING_LINES = 20;

@InputType({ description: 'One source of a project\'s money; amount, share, period and reference may be unknown (null).' })
export class FundingLineInput {
  @Field(() => FundingProgramme) programme: FundingProgramme;
  @TextField(300, { nullable: true, description: 'Who grants the money, e.g. "Europäischer Sozialfonds", "Land Saarland".' }) funder?: string | null;

  @Field(() => Cents, { nullable: true, description: 'Euro cents (120000 = 1.200,00 €); null when unknown.' })
  @IsOptional() @IsInt({ message: '$property must be a whole number of cents' }) @Min(0, { message: '$property must not be negative' })
  amountCents?: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of the project\'s funding, 0 to 100 with at most two decimals.' })
  @IsOptional() @Min(0, { message: '$property must be at least 0 (percent)' }) @Max(100, { message: '$property must be at most 100 (percent)' })
  @ValidateBy({
    name: 'twoDecimals',
    validator: { validate: (value: unknown) => typeof value !== 'number' || Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
      defaultMessage: () => '$property must have at most two decimals' },
  })
  share?: number | null;

  @PartialDateField({ nullable: true }) startsOn?: string | null;
  @PartialDateField({ nullable: true }) @NotBefore('startsOn') endsOn?: string | null;
  @TextField(100, { nullable: true, description: 'The funder\'s reference (Aktenzeichen, Förderkennzeichen).' }) grantReference?: string | null;
}

/** Shares in hundredths of a percent, so 33.33 + 33.33 + 33.34 is exactly 100. */
const totalShare = (lines: FundingLineInput[]) => lines.reduce((sum, line) => sum + Math.round((line.share ?? 0) * 100), 0) / 100;

/** The shares of a project's lines add up to at most 100 percent. */
const SharesAtMost100 = () => ValidateBy({
  name: 'sharesAtMost100',
  validator: {
    validate: (lines: unknown) => !Array.isArray(lines) || totalShare(lines as FundingLineInput[]) <= 100,
    defaultMessage: (args?: ValidationArguments) => `the shares of $property add up to ${totalShare(args?.value as FundingLineInput[])} %, more than 100`,
  },
});

@InputType({ description: 'Narrows projects; the conditions combine with AND, the values within one with OR.' })
export class ProjectFilter {
  @Field(() => String, { nullable: true, description: 'German full-text search over title, summary and the German labels of the fields of action.' })
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
  @Field(() => FundingProgramme, {
    nullable: true,
    description: 'Shorthand for one funding line of this programme with unknown amount (null: no lines). With fundingLines '
      + 'it must name their main line\'s programme.',
  })
  fundingProgramme?: FundingProgramme | null;

  @Field(() => [FundingLineInput], {
    nullable: true,
    description: 'Where the money comes from, main line first or not: replaces the stored lines as a whole (null or []: none).',
  })
  @IsOptional() @ArrayMaxSize(MAX_FUNDING_LINES) @ValidateNested({ each: true }) @SharesAtMost100()
  fundingLines?: FundingLineInput[] | null;
  @PartialDateField({ nullable: true }) startsOn?: string | null;
  @PartialDateField({ nullable: true }) endsOn?: string | null;
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
