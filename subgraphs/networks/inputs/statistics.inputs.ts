import { Field, InputType } from 'type-graphql';
import { Region } from '../../kit/index.js';
import { NetworkKind } from '../enums.js';

@InputType({ description: 'Narrows the networks the statistics count; the conditions combine with AND, the values within one with OR.' })
export class NetworkStatisticsFilter {
  @Field(() => [Region], { nullable: true, description: 'Networks owned by any of these regions.' }) regions?: Region[] | null;
  @Field(() => [NetworkKind], { nullable: true }) kinds?: NetworkKind[] | null;
}
