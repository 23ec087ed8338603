import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { MAX_IMPORT_ROWS, Region } from '../../kit/index.js';

// Cells as text, checked row by row (see the alliances' import rows): absent leaves, null clears.

@InputType({ description: 'A project as a row; matched by (region, title).' })
export class ProjectImportRow {
  @Field(() => Int, { description: 'The source line, named in errors.' }) line: number;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => [String], { nullable: true, description: 'FieldOfAction values or German labels.' }) fieldsOfAction?: string[] | null;
  @Field(() => String, { nullable: true, description: 'A ProjectStatus value or its German label.' }) status?: string | null;
  @Field(() => String, { nullable: true, description: 'A FundingProgramme value or its German label.' }) fundingProgramme?: string | null;
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
