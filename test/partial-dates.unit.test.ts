import { describe, expect, it } from 'vitest';
import { getMetadataStorage as typeGraphqlMetadata } from 'type-graphql';
import { getMetadataStorage as validatorMetadata } from 'class-validator';
import { SUBGRAPHS } from '../subgraphs/index.js';
import { PartialDate, isFuturePartialDate, todayInGermany } from '../subgraphs/kit/index.js';

describe('PartialDate inputs', () => {
  it('are each checked with the input\'s other rules, since the scalar itself takes any string', () => {
    expect(SUBGRAPHS.length).toBeGreaterThan(0); // loads every subgraph's inputs
    const storage = typeGraphqlMetadata();
    const inputs = new Set<unknown>([...storage.inputTypes, ...storage.argumentTypes].map((t) => t.target));
    const dateFields = storage.fields.filter((field) => inputs.has(field.target) && field.getType() === PartialDate);
    expect(dateFields.length).toBeGreaterThan(10);
    const unchecked = dateFields.filter((field) => !validatorMetadata()
      .getTargetValidationMetadatas(field.target, '', true, false)
      .some((rule) => rule.propertyName === field.name && rule.name === 'isPartialDate'));
    expect(unchecked.map((field) => `${(field.target as { name: string }).name}.${field.name}`)).toEqual([]);
  });

  it('count as in the future only when even their earliest day is after today', () => {
    const today = '2026-12-01';
    expect(['2026', '2026-12', '2026-12-01', '2025-12-31'].map((d) => isFuturePartialDate(d, today))).toEqual([false, false, false, false]);
    expect(['2027', '2026-12-02', '2099-01'].map((d) => isFuturePartialDate(d, today))).toEqual([true, true, true]);
    // Germany's day: 23:30 UTC on New Year's Eve is already the new year in Berlin.
    expect(todayInGermany(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
});
