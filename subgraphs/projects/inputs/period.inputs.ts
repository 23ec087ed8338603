import { InputType } from 'type-graphql';
import { PartialDateField } from '../../kit/index.js';

@InputType({
  description: 'A period of time; a partial date stands for its whole year or month. Either end may be left open.',
})
export class PeriodInput {
  @PartialDateField({ nullable: true, description: 'The first year, month or day of the period.' })
  from?: string | null;

  @PartialDateField({ nullable: true, description: 'The last year, month or day of the period.' })
  to?: string | null;
}
