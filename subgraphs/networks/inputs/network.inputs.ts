import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Min, ValidateNested } from 'class-validator';
import { IdField, PartialDateField, Region, TextField, UrlField } from '../../kit/index.js';
import { NetworkKind } from '../enums.js';

@InputType()
export class NetworkFilter {
  @Field(() => String, { nullable: true, description: 'German full-text search over name and description.' })
  text?: string;

  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [NetworkKind], { nullable: true }) kinds?: NetworkKind[];
}

@InputType({ description: 'A member alliance; it may belong to another region than the network.' })
export class NetworkMemberInput {
  @IdField('alliance') allianceId: string;
  @PartialDateField({ nullable: true, past: true }) since?: string | null;
  @PartialDateField({ nullable: true, past: true }) until?: string | null;
}

@InputType()
export class NetworkPartnerInput {
  @IdField('organization') organizationId: string;
  @TextField(200, { nullable: true }) role?: string | null;
  @PartialDateField({ nullable: true, past: true }) since?: string | null;
}

/** Fields a network has besides its identity; shared by create and update. */
@InputType('NetworkFields')
abstract class NetworkFields {
  @TextField(5000, { nullable: true }) description?: string | null;
  @UrlField({ nullable: true }) website?: string | null;
  @IdField('organization', { nullable: true, description: 'The organisation that coordinates the network.' })
  coordinatingBodyId?: string | null;

  @Field(() => [NetworkMemberInput], { nullable: true, description: 'On update, replaces the stored members.' })
  @IsOptional() @ArrayMaxSize(500) @ValidateNested({ each: true })
  memberAlliances?: NetworkMemberInput[];

  @Field(() => [NetworkPartnerInput], { nullable: true, description: 'On update, replaces the stored partners.' })
  @IsOptional() @ArrayMaxSize(200) @ValidateNested({ each: true })
  partners?: NetworkPartnerInput[];
}

@InputType()
export class CreateNetworkInput extends NetworkFields {
  @Field(() => Region, { description: 'The owning region; it cannot change later.' }) region: Region;
  @TextField(300) name: string;
  @Field(() => NetworkKind) kind: NetworkKind;
}

@InputType()
export class UpdateNetworkInput extends NetworkFields {
  @IdField('network') id: string;
  @Field(() => Int, { description: 'The version you read; a newer one on the server refuses the update.' })
  @Min(1) version: number;
  @TextField(300, { nullable: true }) name?: string;
  @Field(() => NetworkKind, { nullable: true }) kind?: NetworkKind;
}
