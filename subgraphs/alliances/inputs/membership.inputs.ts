import { Field, InputType, Int } from 'type-graphql';
import { Min } from 'class-validator';
import { IdField, PartialDateField } from '../../kit/index.js';

@InputType('MembershipFields')
abstract class MembershipFields {
  @PartialDateField({ nullable: true, past: true }) joinedOn?: string | null;
  @PartialDateField({ nullable: true, past: true }) leftOn?: string | null;
  @PartialDateField({ nullable: true, past: true }) certificateHandedOverOn?: string | null;
  @IdField('person', { nullable: true, description: 'The person who represents the organisation in the alliance.' })
  representativeId?: string | null;
}

@InputType()
export class CreateMembershipInput extends MembershipFields {
  @IdField('alliance') allianceId: string;
  @IdField('organization') organizationId: string;
}

@InputType()
export class UpdateMembershipInput extends MembershipFields {
  @IdField('membership') id: string;
  @Field(() => Int) @Min(1) version: number;
}
