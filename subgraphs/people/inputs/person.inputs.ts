import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Min, ValidateNested } from 'class-validator';
import { EmailField, IdField, PartialDateField, PhoneField, Region, TextField } from '../../kit/index.js';
import { RoleKind } from '../enums.js';

@InputType()
export class PersonFilter {
  @Field(() => String, { nullable: true, description: 'German full-text search over given and family name.' }) text?: string;
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [Region], { nullable: true }) regions?: Region[];
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [RoleKind], { nullable: true, description: 'People holding a role of any of these kinds.' }) roleKinds?: RoleKind[];
}

@InputType()
export class ContactDetailsInput {
  @EmailField({ nullable: true }) email?: string | null;
  @PhoneField({ nullable: true }) phone?: string | null;
  @TextField(500, { nullable: true }) address?: string | null;
}

@InputType()
export class ConsentInput {
  @Field(() => Boolean, { description: 'True publishes the contact details; then recordedOn and source are required.' })
  publicListing: boolean;

  @PartialDateField({ nullable: true, past: true }) recordedOn?: string | null;
  @TextField(500, { nullable: true }) source?: string | null;
}

@InputType()
export class RoleInput {
  @Field(() => RoleKind) kind: RoleKind;
  @TextField(300, { nullable: true }) title?: string | null;
  @IdField('alliance', { nullable: true }) allianceId?: string | null;
  @IdField('network', { nullable: true }) networkId?: string | null;
  @IdField('organization', { nullable: true }) organizationId?: string | null;
  @PartialDateField({ nullable: true, past: true }) since?: string | null;
  @PartialDateField({ nullable: true, past: true }) until?: string | null;
}

/** Fields a person has besides identity and name; shared by create and update. */
@InputType('PersonFields')
abstract class PersonFields {
  @Field(() => ContactDetailsInput, { nullable: true, description: 'Replaces all stored contact details; null clears them.' })
  @IsOptional() @ValidateNested()
  contact?: ContactDetailsInput | null;

  @Field(() => ConsentInput, { nullable: true, description: 'Replaces the consent record; publicListing false withdraws consent.' })
  @IsOptional() @ValidateNested()
  consent?: ConsentInput | null;

  @Field(() => [RoleInput], { nullable: true, description: 'On update, replaces all roles of the person.' })
  @IsOptional() @ArrayMaxSize(50) @ValidateNested({ each: true })
  roles?: RoleInput[];
}

@InputType()
export class CreatePersonInput extends PersonFields {
  @Field(() => Region, { description: 'The owning region; it cannot change later.' }) region: Region;
  @TextField(200, { nullable: true }) givenName?: string | null;
  @TextField(200) familyName: string;
}

@InputType()
export class UpdatePersonInput extends PersonFields {
  @IdField('person') id: string;
  @Field(() => Int, { description: 'The version you read; a newer one on the server refuses the update.' })
  @Min(1) version: number;
  @TextField(200, { nullable: true }) givenName?: string | null;
  @TextField(200, { nullable: true }) familyName?: string;
}
