import { ArrayMaxSize } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FieldOfAction, PartialDateField, Region } from '../../kit/index.js';

@InputType({ description: 'Narrows the alliances the statistics count; the conditions combine with AND, the values within one with OR.' })
export class AllianceStatisticsFilter {
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [Region], { nullable: true }) regions?: Region[] | null;

  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [FieldOfAction], { nullable: true, description: 'Alliances working in any of these.' })
  fieldsOfAction?: FieldOfAction[] | null;

  @PartialDateField({
    nullable: true,
    description: 'Alliances founded in or after this year, month or day (a founding date known only to the year counts '
      + 'for all of it); alliances with an unknown founding date are left out.',
  })
  foundedFrom?: string | null;

  @PartialDateField({
    nullable: true,
    description: 'Alliances founded in or before this year, month or day; alliances with an unknown founding date are left out.',
  })
  foundedTo?: string | null;
}
