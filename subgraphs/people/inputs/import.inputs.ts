import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { MAX_IMPORT_ROWS, Region } from '../../kit/index.js';

// Cells as text, checked row by row (see the alliances' import rows): absent leaves, null clears.

@InputType({ description: 'A person as a row; matched by (region, familyName, givenName). Roles are not imported.' })
export class PersonImportRow {
  @Field(() => Int, { description: 'The source line, named in errors.' }) line: number;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true, description: 'Consent to a public listing: ja/nein, true/false; ja needs the two below.' })
  publicListing?: string | null;
  @Field(() => String, { nullable: true, description: 'When the consent was recorded.' }) consentRecordedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Where the consent is documented.' }) consentSource?: string | null;
}

@InputType({ description: 'People to import into one region.' })
export class PersonImportInput {
  @Field(() => Region, { description: 'The region every row belongs to; the call runs on its instance.' }) region: Region;
  @Field(() => [PersonImportRow]) @ArrayMaxSize(MAX_IMPORT_ROWS) rows: PersonImportRow[];
  @Field(() => Boolean, { defaultValue: false, description: 'Check and count only; write nothing.' }) dryRun: boolean;
}
