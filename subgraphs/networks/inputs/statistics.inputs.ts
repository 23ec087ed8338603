import { ArrayMaxSize } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Region } from '../../kit/index.js';
import { NetworkKind } from '../enums.js';

@InputType({ description: 'Narrows the networks the statistics count; the conditions combine with AND, the values within one with OR.' })
export class NetworkStatisticsFilter {
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [Region], { nullable: true, description: 'Networks owned by any of these regions.' }) regions?: Region[] | null;
  @ArrayMaxSize(100, { message: '$property may name at most 100 values' }) @Field(() => [NetworkKind], { nullable: true }) kinds?: NetworkKind[] | null;
}
