import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { MAX_IMPORT_ROWS, Region } from '../../kit/index.js';

// Import rows hold cells as spreadsheets do: text, checked and converted row by row by the
// import, so that every bad row is reported with its line instead of the whole call failing.
// An absent field leaves the stored value as it is; null (an empty cell) clears it.

@InputType({ description: 'An alliance as a row of a member list; matched by (region, name).' })
export class AllianceImportRow {
  @Field(() => Int, { description: 'The source line, named in errors.' }) line: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'The municipality\'s name (Gemeinde).' }) municipality?: string | null;
  @Field(() => String, { nullable: true, description: 'Amtlicher Gemeindeschlüssel; needs municipality.' }) ags?: string | null;
  @Field(() => String, { nullable: true, description: '2005, 2005-11, 2005-11-20 or 20.11.2005.' }) foundedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'A LegalForm value or its German label.' }) legalForm?: string | null;
  @Field(() => String, { nullable: true }) goals?: string | null;
  @Field(() => String, { nullable: true }) website?: string | null;
  @Field(() => [String], { nullable: true, description: 'FieldOfAction values or German labels; an item may hold several separated by ; or ,.' })
  fieldsOfAction?: string[] | null;
}

@InputType({ description: 'An organisation as a row; matched by (region, name).' })
export class OrganizationImportRow {
  @Field(() => Int) line: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'An OrganizationKind value or its German label; required for a new organisation.' })
  kind?: string | null;
  @Field(() => String, { nullable: true }) website?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
}

@InputType({ description: 'A membership as a row: the alliance by its name in the region, the organisation by its name there or by its id (any region).' })
export class MembershipImportRow {
  @Field(() => Int) line: number;
  @Field(() => String, { nullable: true, description: 'The alliance\'s name.' }) alliance?: string | null;
  @Field(() => String, { nullable: true, description: 'The organisation\'s name in the region (without organizationId).' }) organization?: string | null;
  @Field(() => String, { nullable: true, description: 'The organisation\'s id, of any region; instead of its name.' }) organizationId?: string | null;
  @Field(() => String, { nullable: true }) joinedOn?: string | null;
  @Field(() => String, { nullable: true }) leftOn?: string | null;
  @Field(() => String, { nullable: true }) certificateHandedOverOn?: string | null;
  @Field(() => String, { nullable: true, description: 'The id of the person representing the organisation.' })
  representativeId?: string | null;
}

@InputType({ description: 'Alliances to import into one region.' })
export class AllianceImportInput {
  @Field(() => Region, { description: 'The region every row belongs to; the call runs on its instance.' }) region: Region;
  @Field(() => [AllianceImportRow]) @ArrayMaxSize(MAX_IMPORT_ROWS) rows: AllianceImportRow[];
  @Field(() => Boolean, { defaultValue: false, description: 'Check and count only; write nothing.' }) dryRun: boolean;
}

@InputType({ description: 'Organisations to import into one region.' })
export class OrganizationImportInput {
  @Field(() => Region) region: Region;
  @Field(() => [OrganizationImportRow]) @ArrayMaxSize(MAX_IMPORT_ROWS) rows: OrganizationImportRow[];
  @Field(() => Boolean, { defaultValue: false }) dryRun: boolean;
}

@InputType({ description: 'Memberships to import into one region (that of their alliances and organisations).' })
export class MembershipImportInput {
  @Field(() => Region) region: Region;
  @Field(() => [MembershipImportRow]) @ArrayMaxSize(MAX_IMPORT_ROWS) rows: MembershipImportRow[];
  @Field(() => Boolean, { defaultValue: false }) dryRun: boolean;
}
