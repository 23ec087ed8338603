import { Field, InputType, Int } from 'type-graphql';
import { Min, ArrayMaxSize } from 'class-validator';
import { EmailField, IdField, PhoneField, Region, TextField, UrlField } from '../../kit/index.js';
import { OrganizationKind } from '../enums.js';

@InputType()
export class OrganizationFilter {
  @Field(() => String, { nullable: true, description: 'German full-text search over the name.' }) text?: string;
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [Region], { nullable: true }) regions?: Region[];
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [OrganizationKind], { nullable: true }) kinds?: OrganizationKind[];
}

@InputType('OrganizationFields')
abstract class OrganizationFields {
  @UrlField({ nullable: true }) website?: string | null;
  @EmailField({ nullable: true }) email?: string | null;
  @PhoneField({ nullable: true }) phone?: string | null;
}

@InputType()
export class CreateOrganizationInput extends OrganizationFields {
  @Field(() => Region) region: Region;
  @TextField(300) name: string;
  @Field(() => OrganizationKind) kind: OrganizationKind;
}

@InputType()
export class UpdateOrganizationInput extends OrganizationFields {
  @IdField('organization') id: string;
  @Field(() => Int) @Min(1) version: number;
  @TextField(300, { nullable: true }) name?: string;
  @Field(() => OrganizationKind, { nullable: true }) kind?: OrganizationKind;
}
