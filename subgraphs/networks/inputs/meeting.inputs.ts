import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { IdField, PartialDateField, TextField } from '../../kit/index.js';

@InputType({ description: 'A talk; the list order is the programme order.' })
export class TalkInput {
  @TextField(500) title: string;
  @IdField('person', { nullable: true }) speakerId?: string | null;
  @IdField('organization', { nullable: true }) organizationId?: string | null;
}

@InputType('MeetingFields')
abstract class MeetingFields {
  @Field(() => Int, { nullable: true, description: 'The running number; unique within the network.' })
  @IsOptional() @Min(1)
  number?: number | null;

  @PartialDateField({ nullable: true, description: 'When the meeting is held; a planned one lies ahead.' }) date?: string | null;
  @TextField(200, { nullable: true }) place?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional() @ArrayMaxSize(50)
  @MaxLength(200, { each: true, message: 'each of $property must be at most 200 characters' })
  @Matches(/\S/, { each: true, message: 'each of $property must not be blank' })
  topics?: string[];

  @Field(() => [TalkInput], { nullable: true, description: 'On update, replaces the stored talks.' })
  @IsOptional() @ArrayMaxSize(100) @ValidateNested({ each: true })
  talks?: TalkInput[];
}

@InputType()
export class CreateMeetingInput extends MeetingFields {
  @IdField('network') networkId: string;
  @TextField(300) title: string;
}

@InputType()
export class UpdateMeetingInput extends MeetingFields {
  @IdField('meeting') id: string;
  @Field(() => Int, { description: 'The version you read; a newer one on the server refuses the update.' })
  @Min(1) version: number;
  @TextField(300, { nullable: true }) title?: string;
}
