/**
 * The answer cache's rules that timing decides: an answer whose read overlapped a write is never
 * kept (it may predate the write), answers with errors are not kept, and each caller gets its own
 * copy.
 */
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../subgraphs/kit/auth.js';
import { AnswerCache, WriteClock } from '../gateway/regional/answer-cache.js';
import type { InstanceAnswer } from '../gateway/regional/instance-client.js';
import type { Instance } from '../gateway/regional/topology.js';

const INSTANCE = { name: 'alliances-sl', subgraph: 'alliances', url: 'http://127.0.0.1:1/graphql', regions: ['SL'], timeoutMs: 1_000 } as unknown as Instance;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

function setup() {
  const clock = new WriteClock();
  const cache = new AnswerCache(clock, { ttlMs: 60_000, maxBytes: 2 ** 20 });
  let fetches = 0;
  const read = (answer: InstanceAnswer | Promise<InstanceAnswer>) => cache.read(INSTANCE, ANONYMOUS, '{"query":"{ a }"}', () => { fetches++; return Promise.resolve(answer); });
  return { clock, cache, read, fetches: () => fetches };
}

describe('answer cache', () => {
  it('keeps a complete answer and hands every caller its own copy', async () => {
    const { read, fetches } = setup();
    const first = await read({ data: { a: { n: 1 } } });
    (first.data!.a as { n: number }).n = 99;
    const second = await read({ data: { a: { n: 2 } } });
    expect(second).toEqual({ data: { a: { n: 1 } } });
    expect(fetches()).toBe(1);
    (second.data!.a as { n: number }).n = 42;
    expect(await read({ data: { a: { n: 3 } } })).toEqual({ data: { a: { n: 1 } } });
  });

  it('does not keep answers with errors', async () => {
    const { read, fetches } = setup();
    await read({ data: { a: null }, errors: [{ message: 'Region SL is unavailable' }] });
    expect(await read({ data: { a: 1 } })).toEqual({ data: { a: 1 } });
    expect(fetches()).toBe(2);
  });

  it('does not keep a read that began before a write ended, nor one that began during it', async () => {
    const { clock, read, fetches } = setup();
    // Begun before the write, answered after it started.
    const late = deferred<InstanceAnswer>();
    const before = read(late.promise);
    const writeDone = deferred<void>();
    const write = clock.around(() => writeDone.promise);
    late.resolve({ data: { a: 'old' } });
    expect(await before).toEqual({ data: { a: 'old' } });
    // Begun during the write.
    const during = await read({ data: { a: 'during' } });
    expect(during).toEqual({ data: { a: 'during' } });
    writeDone.resolve();
    await write;
    expect(await read({ data: { a: 'new' } })).toEqual({ data: { a: 'new' } });
    expect(fetches()).toBe(3);
    // Now kept.
    expect(await read({ data: { a: 'newer' } })).toEqual({ data: { a: 'new' } });
  });

  it('empties itself when a write starts', async () => {
    const { clock, read } = setup();
    await read({ data: { a: 'old' } });
    await clock.around(async () => undefined);
    expect(await read({ data: { a: 'new' } })).toEqual({ data: { a: 'new' } });
  });
});
