import { Field, Float, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { BigIntType, DecimalType } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { PartialDate, RegionalEntity } from '../../kit/index.js';
import { FundingProgramme } from '../enums.js';
import { Project } from './project.js';

/**
 * Money in euro cents as whole numbers: SafeInt travels as a plain JSON number and is exact up to
 * 2^53 − 1 cents (about 90 trillion euro), where GraphQL's Int stops at 2^31 − 1 cents (21 million euro).
 */
export const Cents = GraphQLSafeInt;

@ObjectType({ description: 'One source of a project\'s money: a programme, who grants it, how much and for when.' })
@Entity({ tableName: 'funding_line' })
export class FundingLine extends RegionalEntity {
  @Index()
  @ManyToOne({ entity: () => Project, deleteRule: 'cascade' })
  project: Project;

  /** Where the line stands in the project's list (0 first): "then first" decides the main line. */
  @Property({ type: 'integer' })
  position: number;

  @Field(() => FundingProgramme)
  @Enum({ items: () => FundingProgramme, type: 'string' })
  programme: FundingProgramme;

  @Field(() => String, { nullable: true, description: 'Who grants the money, e.g. "Europäischer Sozialfonds" or "Land Saarland"; null when unknown.' })
  @Property({ type: 'string', length: 300, nullable: true })
  funder?: string | null;

  @Field(() => Cents, { nullable: true, description: 'The amount granted in euro cents; null when unknown (never counted as 0).' })
  @Property({ type: new BigIntType('number'), nullable: true })
  amountCents?: number | null;

  @Field(() => Float, { nullable: true, description: 'The line\'s share of the project\'s funding in percent (0–100); null when unknown.' })
  @Property({ type: new DecimalType('number'), precision: 5, scale: 2, nullable: true })
  share?: number | null;

  @Field(() => PartialDate, { nullable: true, description: 'The first year, month or day the grant covers.' })
  @Property({ type: 'string', length: 10, nullable: true })
  startsOn?: string | null;

  @Field(() => PartialDate, { nullable: true, description: 'The last year, month or day the grant covers.' })
  @Property({ type: 'string', length: 10, nullable: true })
  endsOn?: string | null;

  @Field(() => String, { nullable: true, description: 'The funder\'s reference for the grant (Aktenzeichen, Förderkennzeichen).' })
  @Property({ type: 'string', length: 100, nullable: true })
  grantReference?: string | null;
}

/** What decides the main line: the largest amount, then the largest share, then the first listed. */
export interface RankedLine {
  programme: FundingProgramme;
  amountCents?: number | null;
  share?: number | null;
}

/** The main line of a list in its order, or undefined for none; unknown amounts and shares rank lowest. */
export function mainLine<T extends RankedLine>(lines: readonly T[]): T | undefined {
  let main: T | undefined;
  for (const line of lines) {
    if (!main) { main = line; continue; }
    const amount = (line.amountCents ?? -1) - (main.amountCents ?? -1);
    const share = (line.share ?? -1) - (main.share ?? -1);
    if (amount > 0 || (amount === 0 && share > 0)) main = line;
  }
  return main;
}
