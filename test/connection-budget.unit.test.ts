import { describe, expect, it } from 'vitest';
import { DriverException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import {
  CONNECTIONS_BESIDE_POOL, CONNECTIONS_FOR_OTHERS, ConfigError, DatabaseOverloaded, formatError, isDatabaseOverload, onlyOverloaded, poolSizeFor, toClientError,
} from '../subgraphs/kit/index.js';

/** The arithmetic of the connection budget and what an overload looks like to a client. */
describe('the pool size from a server\'s limits', () => {
  const server = { maxConnections: 200, reserved: 3 };

  it('shares what the server allows, less reserved slots, the room for other clients and each feed\'s connection, at most 10 each', () => {
    expect(poolSizeFor(server, 24)).toBe(Math.floor((200 - 3 - CONNECTIONS_FOR_OTHERS) / 24) - CONNECTIONS_BESIDE_POOL);
    expect(poolSizeFor(server, 24)).toBe(7);
    expect(poolSizeFor({ maxConnections: 300, reserved: 3 }, 68)).toBe(3);
    expect(poolSizeFor(server, 4)).toBe(10);
    expect((poolSizeFor({ maxConnections: 100, reserved: 3 }, 24) + CONNECTIONS_BESIDE_POOL) * 24)
      .toBeLessThanOrEqual(100 - 3 - CONNECTIONS_FOR_OTHERS);
  });

  it('refuses a budget that leaves fewer than two connections per instance, and says why', () => {
    expect(() => poolSizeFor(server, 68)).toThrow(ConfigError);
    expect(() => poolSizeFor(server, 68))
      .toThrow(/allows 200 connections.*3 are reserved.*for 68 instances, each holding 1 beside its pool, which leaves pools of fewer than 2 each/);
  });

  it('takes a requested size only when every instance\'s pool fits together', () => {
    expect(poolSizeFor(server, 24, 7)).toBe(7);
    expect(() => poolSizeFor(server, 24, 8)).toThrow(/HUB_DB_POOL_MAX=8 does not fit: 24 instances would hold up to 216 connections/);
  });
});

describe('an overload to the client', () => {
  /** As MikroORM hands a driver error to the resolver: wrapped, its own properties copied. */
  const wrapped = (error: Error) => new DriverException(error);

  it.each([
    ['a full queue', new DatabaseOverloaded('queue_full', 'full')],
    ['an acquire timeout', new DatabaseOverloaded('timeout', 'late')],
    ['PostgreSQL\'s too many clients (53300)', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
  ])('%s is SERVICE_OVERLOADED, also wrapped by the ORM', (_name, error) => {
    for (const thrown of [error, wrapped(error), new Error('outer', { cause: error })]) {
      expect(isDatabaseOverload(thrown)).toBe(true);
      expect(toClientError(thrown)?.extensions.code).toBe('SERVICE_OVERLOADED');
      const formatted = formatError({ message: thrown.message }, new GraphQLError(thrown.message, { originalError: thrown }));
      expect(formatted.extensions?.code).toBe('SERVICE_OVERLOADED');
      expect(formatted.message).not.toMatch(/clients|queue|late|full/);
    }
  });

  it('other database errors stay masked', () => {
    const other = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    expect(isDatabaseOverload(wrapped(other))).toBe(false);
    expect(formatError({ message: 'x' }, new GraphQLError('x', { originalError: other })).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('an answer served nothing because of load only when every error is SERVICE_OVERLOADED and no field has data', () => {
    const overloaded = { message: 'retry', extensions: { code: 'SERVICE_OVERLOADED' } };
    expect(onlyOverloaded(null, [overloaded])).toBe(true);
    expect(onlyOverloaded({ a: null, b: null }, [overloaded, overloaded])).toBe(true);
    expect(onlyOverloaded({ a: { id: 'x' }, b: null }, [overloaded])).toBe(false);
    expect(onlyOverloaded(null, [overloaded, { message: 'x', extensions: { code: 'REGION_UNAVAILABLE' } }])).toBe(false);
    expect(onlyOverloaded({ a: 1 }, undefined)).toBe(false);
  });
});
