import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Matches, ValidateNested, Min } from 'class-validator';
import { FieldOfAction, IdField, PartialDateField, Region, TextField, UrlField } from '../../kit/index.js';
import { LegalForm } from '../enums.js';

@InputType()
export class MunicipalityInput {
  @TextField(200) name: string;

  @Field(() => String, { nullable: true, description: 'Amtlicher Gemeindeschlüssel: 2, 3, 5 or 8 digits.' })
  @IsOptional()
  @Matches(/^\d{2}(\d(\d{2}(\d{3})?)?)?$/, { message: 'ags must be an official key of 2, 3, 5 or 8 digits' })
  ags?: string | null;
}

@InputType()
export class WorkingGroupInput {
  @TextField(200) name: string;
  @Field(() => FieldOfAction, { nullable: true }) fieldOfAction?: FieldOfAction | null;
}

@InputType()
export class AllianceFilter {
  @Field(() => String, { nullable: true, description: 'German full-text search over name, goals, municipality and the German labels of the fields of action.' })
  text?: string;

  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [Region], { nullable: true }) regions?: Region[];
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [FieldOfAction], { nullable: true, description: 'Alliances working in any of these.' }) fieldsOfAction?: FieldOfAction[];
}

/** Fields an alliance has besides its identity; shared by create and update. */
@InputType('AllianceFields')
abstract class AllianceFields {
  @Field(() => MunicipalityInput, { nullable: true })
  @IsOptional() @ValidateNested()
  municipality?: MunicipalityInput | null;

  @PartialDateField({ nullable: true, past: true }) foundedOn?: string | null;
  @Field(() => LegalForm, { nullable: true }) legalForm?: LegalForm | null;
  @TextField(5000, { nullable: true }) goals?: string | null;
  @UrlField({ nullable: true }) website?: string | null;

  @Field(() => [FieldOfAction], { nullable: true }) @IsOptional() @ArrayMaxSize(20)
  fieldsOfAction?: FieldOfAction[];

  @Field(() => [WorkingGroupInput], { nullable: true })
  @IsOptional() @ArrayMaxSize(50) @ValidateNested({ each: true })
  workingGroups?: WorkingGroupInput[];
}

@InputType()
export class CreateAllianceInput extends AllianceFields {
  @Field(() => Region, { description: 'The owning region; it cannot change later.' }) region: Region;
  @TextField(300) name: string;
}

@InputType()
export class UpdateAllianceInput extends AllianceFields {
  @IdField('alliance') id: string;
  @Field(() => Int, { description: 'The version you read; a newer one on the server refuses the update.' })
  @Min(1) version: number;
  @TextField(300, { nullable: true }) name?: string;
}
