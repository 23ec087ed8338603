import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import {
  ConfigError, Region, assertNotBefore, decodeCursor, encodeCursor, formatError, germanTsQuery, isPartialDate,
  makeId, parseId, port, readConfig, regionOfId, sortKeyOf, tryParseId,
} from '../subgraphs/kit/index.js';

describe('ids name their owning region', () => {
  it('makes and parses region-prefixed ids', () => {
    const id = makeId(Region.SL, 'alliance');
    expect(id).toMatch(/^SL:alliance:[0-9a-f-]{36}$/);
    expect(parseId(id, 'alliance')).toMatchObject({ region: 'SL', kind: 'alliance' });
    expect(regionOfId('NW:person:x1')).toBe('NW');
  });

  it('refuses unknown regions, other kinds and malformed keys with BAD_USER_INPUT', () => {
    expect(tryParseId('XX:alliance:a')).toBeUndefined();
    expect(tryParseId('SL:alliance:')).toBeUndefined();
    expect(tryParseId("SL:alliance:a'; drop table alliance;--")).toBeUndefined();
    expect(() => parseId('SL:project:a', 'alliance')).toThrowError(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } }),
    );
  });
});

describe('PartialDate', () => {
  it('accepts year, month and day precision of real dates only', () => {
    expect(['2005', '2005-11', '2004-07-15', '2024-02-29'].every(isPartialDate)).toBe(true);
    expect(['05', '2005-13', '2005-11-31', '2023-02-29', '2005/11', ''].some(isPartialDate)).toBe(false);
  });

  it('compares dates of different precision by their common part', () => {
    expect(() => assertNotBefore('2018', '2018-05-16', 'leftOn')).not.toThrow();
    expect(() => assertNotBefore('2017-12', '2018', 'leftOn')).toThrowError(/leftOn \(2017-12\) is before 2018/);
  });
});

describe('German text search', () => {
  it('turns every word into a stemmed prefix condition and drops tsquery syntax', () => {
    expect(germanTsQuery('Familien')).toBe('Familien:*');
    expect(germanTsQuery('Familien service')).toBe('Familien:* & service:*');
    expect(germanTsQuery("Brämer')|!:*&")).toBe('Brämer:*');
    expect(germanTsQuery(' !?* ')).toBeUndefined();
  });

  it('sorts as a German reader expects', () => {
    expect(sortKeyOf('Ärztekammer Saarland')).toBe('arztekammer saarland');
    expect(sortKeyOf('Straße der Familie')).toBe('strasse der familie');
    const names = ['Zentrum', 'Ärzte', 'Bündnis', 'Arbeit'];
    expect(names.map(sortKeyOf).sort()).toEqual(['arbeit', 'arzte', 'bundnis', 'zentrum']);
  });
});

describe('cursors', () => {
  it('round-trip the sort key and id', () => {
    expect(decodeCursor(encodeCursor('bundnis', 'SL:alliance:x'))).toEqual(['bundnis', 'SL:alliance:x']);
  });

  it('refuse anything else with BAD_USER_INPUT', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrowError(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }));
  });
});

describe('configuration', () => {
  it('names every malformed setting at once', () => {
    const schema = z.object({ PORT: port(4000), DATABASE_URL: z.string().url() });
    expect(() => readConfig(schema, { PORT: 'abc' })).toThrowError(ConfigError);
    try {
      readConfig(schema, { PORT: 'abc' });
    } catch (error) {
      expect((error as Error).message).toContain('PORT');
      expect((error as Error).message).toContain('DATABASE_URL');
    }
    expect(readConfig(schema, { DATABASE_URL: 'postgres://x/y' })).toEqual({ PORT: 4000, DATABASE_URL: 'postgres://x/y' });
  });
});

describe('error formatting', () => {
  it('keeps coded errors and masks everything else without a stack trace', () => {
    const coded = new GraphQLError('nope', { extensions: { code: 'NOT_FOUND' } });
    expect(formatError({ message: 'nope', extensions: { code: 'NOT_FOUND' } }, coded)).toMatchObject({ message: 'nope', extensions: { code: 'NOT_FOUND' } });
    const internal = new GraphQLError('boom', { originalError: new Error('password=secret at db.ts:12') });
    expect(formatError({ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } }, internal))
      .toEqual({ message: 'Internal server error', locations: undefined, path: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
