import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { MAX_IMPORT_ROWS, Region } from '../../kit/index.js';

// Cells as text, checked row by row (see the alliances' import rows): absent leaves, null clears.

@InputType({ description: 'A funding line as cells of a row; every cell but the programme may be empty (unknown).' })
export class FundingLineImportRow {
  @Field(() => String, { nullable: true, description: 'A FundingProgramme value or its German label.' }) programme?: string | null;
  @Field(() => String, { nullable: true }) funder?: string | null;
  @Field(() => String, { nullable: true, description: 'In euro: 120000, 120.000,50 € or 1200.50.' }) amount?: string | null;
  @Field(() => String, { nullable: true, description: 'Percent of the project\'s funding: 60, 60 % or 33,33.' }) share?: string | null;
  @Field(() => String, { nullable: true }) startsOn?: string | null;
  @Field(() => String, { nullable: true }) endsOn?: string | null;
  @Field(() => String, { nullable: true }) grantReference?: string | null;
}

@InputType({ description: 'A project as a row; matched by (region, title).' })
export class ProjectImportRow {
  @Field(() => Int, { description: 'The source line, named in errors.' }) line: number;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => [String], { nullable: true, description: 'FieldOfAction values or German labels.' }) fieldsOfAction?: string[] | null;
  @Field(() => String, { nullable: true, description: 'A ProjectStatus value or its German label.' }) status?: string | null;
  @Field(() => String, { nullable: true, description: 'A FundingProgramme value or its German label.' }) fundingProgramme?: string | null;
  @Field(() => [FundingLineImportRow], {
    nullable: true, description: 'Replaces the project\'s funding lines (null or []: none; absent: kept). Errors name fundingLines.<index>.<cell>.',
  })
  fundingLines?: FundingLineImportRow[] | null;
  @Field(() => String, { nullable: true }) startsOn?: string | null;
  @Field(() => String, { nullable: true }) endsOn?: string | null;
  @Field(() => String, { nullable: true }) website?: string | null;
  @Field(() => String, { nullable: true }) leadAllianceId?: string | null;
  @Field(() => [String], { nullable: true }) partnerAllianceIds?: string[] | null;
  @Field(() => [String], { nullable: true }) partnerOrganizationIds?: string[] | null;
  @Field(() => [String], { nullable: true }) contactIds?: string[] | null;
}

@InputType({ description: 'Projects to import into one region.' })
export class ProjectImportInput {
  @Field(() => Region, { description: 'The region every row belongs to; the call runs on its instance.' }) region: Region;
  @Field(() => [ProjectImportRow]) @ArrayMaxSize(MAX_IMPORT_ROWS) rows: ProjectImportRow[];
  @Field(() => Boolean, { defaultValue: false, description: 'Check and count only; write nothing.' }) dryRun: boolean;
}
