/**
 * The answer cache's rules that timing decides: an answer whose read overlapped a write is never
 * kept (it may predate the write), answers with errors are not kept, and each caller gets its own
 * copy; with data versions, answers live long until an instance reports a change.
 */
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../subgraphs/kit/auth.js';
import { AnswerCache, WriteClock, entityRepresentations } from '../gateway/regional/answer-cache.js';
import { DataVersions } from '../gateway/regional/data-versions.js';
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

describe('answer cache, entities kept per record', () => {
  const QUERY = 'query Op__people__1($representations:[_Any!]!){_entities(representations:$representations){...on Alliance{contacts{id}}}}';
  const rep = (id: string) => ({ __typename: 'Alliance', id });

  it('fetches only the records it does not keep, and puts the answers back in order', async () => {
    const cache = new AnswerCache(new WriteClock(), { ttlMs: 60_000, maxBytes: 2 ** 20 });
    const asked: unknown[][] = [];
    const fetch = async (subset: unknown[]) => {
      asked.push(subset);
      return { data: { _entities: subset.map((r) => ({ contacts: [{ id: `${(r as { id: string }).id}:p` }] })) } };
    };
    await cache.entities('people', ANONYMOUS, QUERY, { representations: [rep('a'), rep('b')] }, [rep('a'), rep('b')], fetch);
    const answer = await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('c'), rep('b'), rep('a')], fetch);
    expect(asked).toEqual([[rep('a'), rep('b')], [rep('c')]]);
    expect(answer.data!._entities).toEqual([{ contacts: [{ id: 'c:p' }] }, { contacts: [{ id: 'b:p' }] }, { contacts: [{ id: 'a:p' }] }]);
    // Another viewer class, another selection: nothing kept for them.
    await cache.entities('people', { ...ANONYMOUS, hubAdmin: true }, QUERY, {}, [rep('a')], fetch);
    await cache.entities('people', ANONYMOUS, QUERY.replace('id}', 'id name}'), {}, [rep('a')], fetch);
    expect(asked).toHaveLength(4);
  });

  it('points errors at the caller\'s records and keeps neither a failed record nor anything after an error it cannot place', async () => {
    const cache = new AnswerCache(new WriteClock(), { ttlMs: 60_000, maxBytes: 2 ** 20 });
    await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a')], async () => ({ data: { _entities: [{ contacts: [] }] } }));
    let asked: unknown[] = [];
    const answer = await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a'), rep('b'), rep('c')], async (subset) => {
      asked = subset;
      return {
        data: { _entities: [null, { contacts: [] }] },
        errors: [{ message: 'Region BW is unavailable', path: ['_entities', 0, 'contacts'], extensions: { code: 'REGION_UNAVAILABLE' } }],
      };
    });
    expect(asked).toEqual([rep('b'), rep('c')]);
    expect(answer.errors).toEqual([{ message: 'Region BW is unavailable', path: ['_entities', 1, 'contacts'], extensions: { code: 'REGION_UNAVAILABLE' } }]);
    expect(answer.data!._entities).toEqual([{ contacts: [] }, null, { contacts: [] }]);
    // b failed and is asked again; c was kept.
    await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('b'), rep('c')], async (subset) => { asked = subset; return { data: { _entities: [{ contacts: [] }] } }; });
    expect(asked).toEqual([rep('b')]);
    // An error without a record's place: nothing of that answer is kept.
    await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('d')], async () => ({ data: { _entities: [{ contacts: [] }] }, errors: [{ message: 'partial' }] }));
    await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('d')], async (subset) => { asked = subset; return { data: { _entities: [{ contacts: [] }] } }; });
    expect(asked).toEqual([rep('d')]);
  });

  it('reads records that fetches miss at the same moment in one request, each fetch getting its own copy and its own errors', async () => {
    const cache = new AnswerCache(new WriteClock(), { ttlMs: 60_000, maxBytes: 2 ** 20 });
    const asked: unknown[][] = [];
    const fetch = async (subset: unknown[]) => {
      asked.push(subset);
      const ids = subset.map((r) => (r as { id: string }).id);
      return {
        data: { _entities: ids.map((id) => (id === 'x' ? null : { contacts: [{ id: `${id}:p` }] })) },
        errors: [{ message: 'x is gone', path: ['_entities', ids.indexOf('x'), 'contacts'], extensions: { code: 'GONE' } }],
      };
    };
    const [one, two] = await Promise.all([
      cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a'), rep('b')], fetch),
      cache.entities('people', ANONYMOUS, QUERY, {}, [rep('x'), rep('b'), rep('c')], fetch),
    ]);
    expect(asked).toEqual([[rep('a'), rep('b'), rep('x'), rep('c')]]);
    expect(one).toEqual({ data: { _entities: [{ contacts: [{ id: 'a:p' }] }, { contacts: [{ id: 'b:p' }] }] } });
    expect(two).toEqual({
      data: { _entities: [null, { contacts: [{ id: 'b:p' }] }, { contacts: [{ id: 'c:p' }] }] },
      errors: [{ message: 'x is gone', path: ['_entities', 0, 'contacts'], extensions: { code: 'GONE' } }],
    });
    // b reached both fetches: each holds its own copy.
    ((one.data!._entities as { contacts: unknown[] }[])[1]).contacts.push('changed');
    expect((two.data!._entities as { contacts: unknown[] }[])[1]).toEqual({ contacts: [{ id: 'b:p' }] });
    // Kept per record as before; the failed one is read again.
    await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a'), rep('x')], fetch);
    expect(asked.at(-1)).toEqual([rep('x')]);
  });

  it('awaits a record already being read instead of reading it again, unless a write began since', async () => {
    const clock = new WriteClock();
    const cache = new AnswerCache(clock, { ttlMs: 60_000, maxBytes: 2 ** 20 });
    const asked: unknown[][] = [];
    const answers: ReturnType<typeof deferred<void>>[] = [];
    const fetch = async (subset: unknown[]) => {
      asked.push(subset);
      const gate = deferred<void>();
      answers.push(gate);
      await gate.promise;
      return { data: { _entities: subset.map((r) => ({ contacts: [{ id: `${(r as { id: string }).id}:${asked.length}` }] })) } };
    };
    const first = cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a')], fetch);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([[rep('a')]]);
    // Asked while a is being read: only b is read.
    const second = cache.entities('people', ANONYMOUS, QUERY, {}, [rep('b'), rep('a')], fetch);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([[rep('a')], [rep('b')]]);
    answers.forEach((gate) => gate.resolve());
    expect((await second).data!._entities).toEqual([{ contacts: [{ id: 'b:2' }] }, { contacts: [{ id: 'a:2' }] }]);
    expect((await first).data!._entities).toEqual([{ contacts: [{ id: 'a:2' }] }]);
    // After a write has begun, a record being read since before it is read again.
    const third = cache.entities('people', ANONYMOUS, QUERY, {}, [rep('c')], fetch);
    await new Promise((resolve) => setImmediate(resolve));
    const write = clock.around(async () => undefined);
    const fourth = cache.entities('people', ANONYMOUS, QUERY, {}, [rep('c')], fetch);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked.slice(2)).toEqual([[rep('c')], [rep('c')]]);
    answers.forEach((gate) => gate.resolve());
    await Promise.all([third, fourth, write]);
  });

  it('reads each fetch\'s records on their own when sharing is off', async () => {
    const cache = new AnswerCache(new WriteClock(), { ttlMs: 60_000, maxBytes: 2 ** 20 });
    const asked: unknown[][] = [];
    const fetch = async (subset: unknown[]) => {
      asked.push(subset);
      return { data: { _entities: subset.map(() => ({ contacts: [] })) } };
    };
    await Promise.all([
      cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a'), rep('b')], fetch, false),
      cache.entities('people', ANONYMOUS, QUERY, {}, [rep('b'), rep('c')], fetch, false),
    ]);
    expect(asked).toEqual([[rep('a'), rep('b')], [rep('b'), rep('c')]]);
  });

  it('reports an error that names no record to every fetch that waited on the request, and keeps nothing of it', async () => {
    const cache = new AnswerCache(new WriteClock(), { ttlMs: 60_000, maxBytes: 2 ** 20 });
    let reads = 0;
    const fetch = async (subset: unknown[]) => {
      reads++;
      return { data: { _entities: subset.map(() => ({ contacts: [] })) }, errors: [{ message: 'partial' }] };
    };
    const both = await Promise.all([
      cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a')], fetch),
      cache.entities('people', ANONYMOUS, QUERY, {}, [rep('b')], fetch),
    ]);
    expect(reads).toBe(1);
    for (const answer of both) expect(answer.errors).toEqual([{ message: 'partial' }]);
    await cache.entities('people', ANONYMOUS, QUERY, {}, [rep('a')], fetch);
    expect(reads).toBe(2);
  });

  it('recognises only the planner\'s entity fetches', () => {
    expect(entityRepresentations(QUERY, { representations: [rep('a')] })).toEqual([rep('a')]);
    expect(entityRepresentations('{ alliances { edges { node { id } } } }', { representations: [] })).toBeUndefined();
    expect(entityRepresentations(QUERY, {})).toBeUndefined();
  });
});

describe('answer cache under data versions', () => {
  const OTHER = { ...INSTANCE, name: 'alliances-nw', regions: ['NW'] } as unknown as Instance;

  function versioned(options = { ttlMs: 50, versionedTtlMs: 60_000 }) {
    const versions = new DataVersions((subgraph) => (subgraph === 'alliances' ? [INSTANCE, OTHER] : []));
    const cache = new AnswerCache(new WriteClock(), { ...options, maxBytes: 2 ** 20 }, versions);
    let fetches = 0;
    const read = (n: number, answer?: Promise<InstanceAnswer>) =>
      cache.read(INSTANCE, ANONYMOUS, '{"query":"{ a }"}', () => { fetches++; return answer ?? Promise.resolve({ data: { a: n } }); });
    return { versions, read, fetches: () => fetches };
  }
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('keeps answers past the short time to live only while every instance of the subgraph reports a version', async () => {
    const { versions, read, fetches } = versioned();
    versions.observe(INSTANCE, 'o/7');
    await read(1);
    await pause(80);
    // One instance of two without a version: the short time to live.
    expect(await read(2)).toEqual({ data: { a: 2 } });
    versions.observe(OTHER, 'o/3');
    await read(3);
    await pause(80);
    expect(await read(4)).toEqual({ data: { a: 3 } });
    expect(fetches()).toBe(3);
  });

  it('drops what it kept when an instance reports another version, or none', async () => {
    const { versions, read } = versioned();
    versions.observe(INSTANCE, 'o/7');
    versions.observe(OTHER, 'o/3');
    await read(1);
    versions.observe(OTHER, 'o/3');
    expect(await read(2)).toEqual({ data: { a: 1 } });
    // Lower than before and not after a write through the gateway (a database restored): a change.
    versions.observe(OTHER, 'o/2');
    expect(await read(6)).toEqual({ data: { a: 6 } });
    versions.observe(OTHER, 'o/4');
    expect(await read(3)).toEqual({ data: { a: 3 } });
    // Another origin (the database made anew): a change, whatever its counter.
    versions.observe(OTHER, 'p/1');
    expect(await read(5)).toEqual({ data: { a: 5 } });
    versions.observe(INSTANCE, undefined);
    expect(await read(4)).toEqual({ data: { a: 4 } });
    expect(versions.versioned('alliances')).toBe(false);
  });

  it('keeps the last version through probes an instance missed for the grace time, but not an answer without a version', async () => {
    let now = 0;
    const versions = new DataVersions(() => [INSTANCE, OTHER], 5_000, () => now);
    versions.observe(INSTANCE, 'o/7');
    versions.observe(OTHER, 'o/3');
    const epoch = versions.epoch('alliances');
    now = 3_000;
    expect(versions.read(INSTANCE, { answered: false, reached: true })).toBe(true);
    now = 5_000;
    expect(versions.read(INSTANCE, { answered: false, reached: true })).toBe(true);
    expect(versions.epoch('alliances')).toBe(epoch);
    expect(versions.versioned('alliances')).toBe(true);
    // Answered again with the same version: nothing changed.
    now = 6_000;
    expect(versions.read(INSTANCE, { answered: true, version: 'o/7' })).toBe(true);
    now = 10_000;
    expect(versions.read(INSTANCE, { answered: false, reached: true })).toBe(true);
    expect(versions.epoch('alliances')).toBe(epoch);
    // More than the grace time since it last answered: no version now.
    now = 11_001;
    expect(versions.read(INSTANCE, { answered: false, reached: true })).toBe(false);
    const silent = versions.epoch('alliances');
    expect(silent).not.toBe(epoch);
    expect(versions.versioned('alliances')).toBe(false);
    // An answer without a version counts at once, whenever the last answer was.
    expect(versions.read(OTHER, { answered: true, version: undefined })).toBe(false);
    expect([epoch, silent]).not.toContain(versions.epoch('alliances'));
  });

  it('serves what it kept again when a silent instance answers with the version it had, and only then', async () => {
    let now = 0;
    const versions = new DataVersions(() => [INSTANCE, OTHER], 5_000, () => now);
    const cache = new AnswerCache(new WriteClock(), { ttlMs: 50, versionedTtlMs: 60_000, maxBytes: 2 ** 20 }, versions);
    let fetches = 0;
    const read = (n: number) => cache.read(INSTANCE, ANONYMOUS, '{"query":"{ a }"}', () => { fetches++; return Promise.resolve({ data: { a: n } }); });
    versions.observe(INSTANCE, 'o/7/s');
    versions.observe(OTHER, 'o/3/s');
    const epoch = versions.epoch('alliances');
    await read(1);
    // Overloaded past the grace time: its version is unknown, nothing kept before is served.
    now = 6_000;
    versions.read(OTHER, { answered: false, reached: true });
    expect(await read(2)).toEqual({ data: { a: 2 } });
    // Back with the version it had: the same data, so the same epoch and what was kept under it.
    now = 7_000;
    versions.read(OTHER, { answered: true, version: 'o/3/s' });
    expect(versions.epoch('alliances')).toBe(epoch);
    expect(await read(3)).toEqual({ data: { a: 1 } });
    expect(fetches).toBe(2);
    // Silent again, and back with another version (a write made meanwhile): a new state.
    now = 13_000;
    versions.read(OTHER, { answered: false, reached: true });
    const silent = versions.epoch('alliances');
    versions.read(OTHER, { answered: true, version: 'o/4/s' });
    expect([epoch, silent]).not.toContain(versions.epoch('alliances'));
    expect(await read(4)).toEqual({ data: { a: 4 } });
    // A state where a version was unknown is never taken up again: it named no data.
    now = 20_000;
    versions.read(OTHER, { answered: false, reached: true });
    expect(versions.epoch('alliances')).not.toBe(silent);
  });

  it('does not take the state before a write through the gateway for the one after it', async () => {
    const { versions, read, fetches } = versioned();
    versions.observe(INSTANCE, 'o/7');
    versions.observe(OTHER, 'o/3');
    const before = versions.epoch('alliances');
    versions.wrote(OTHER, 'o/4');
    await read(1);
    // A probe sees the write's version; then the database is put back to the state before the
    // write (the same version as then): nothing kept since the write may be served for it.
    versions.observe(OTHER, 'o/4');
    expect(await read(5)).toEqual({ data: { a: 1 } });
    versions.observe(OTHER, 'o/3');
    expect(versions.epoch('alliances')).not.toBe(before);
    expect(await read(2)).toEqual({ data: { a: 2 } });
    expect(fetches()).toBe(2);
  });

  it('does not keep a read that a version change overlapped: it may predate the change', async () => {
    const { versions, read, fetches } = versioned();
    versions.observe(INSTANCE, 'o/7');
    versions.observe(OTHER, 'o/3');
    const late = deferred<InstanceAnswer>();
    const reading = read(0, late.promise);
    versions.observe(INSTANCE, 'o/8');
    late.resolve({ data: { a: 'old' } });
    await reading;
    expect(await read(1)).toEqual({ data: { a: 1 } });
    expect(fetches()).toBe(2);
  });

  it('keeps what it holds when a probe sees the version a write through the gateway left', async () => {
    const { versions, read, fetches } = versioned();
    versions.observe(INSTANCE, 'o/7');
    versions.observe(OTHER, 'o/3');
    versions.wrote(OTHER, 'o/5');
    await read(1);
    // A probe that read before the write, then one that read after it.
    versions.observe(OTHER, 'o/4');
    versions.observe(OTHER, 'o/5');
    expect(await read(2)).toEqual({ data: { a: 1 } });
    expect(fetches()).toBe(1);
    // Then any other version is news again.
    versions.observe(OTHER, 'o/4');
    expect(await read(3)).toEqual({ data: { a: 3 } });
  });

  it('keeps whole fetches only while every instance reports a version, and drops them with its change', async () => {
    const versions = new DataVersions(() => [INSTANCE, OTHER]);
    const cache = new AnswerCache(new WriteClock(), { ttlMs: 60_000, versionedTtlMs: 60_000, maxBytes: 2 ** 20 }, versions);
    let runs = 0;
    const told: boolean[] = [];
    const fetch = () => cache.fetch('alliances', ANONYMOUS, 'q', async (keptWhole) => {
      told.push(keptWhole);
      return { data: { merged: ++runs } };
    });
    versions.observe(INSTANCE, 'o/1');
    await fetch();
    // One instance without a version: not kept (made of kept answers, it could outlive their time to live).
    expect(await fetch()).toEqual({ data: { merged: 2 } });
    versions.observe(OTHER, 'o/1');
    await fetch();
    expect(await fetch()).toEqual({ data: { merged: 3 } });
    // The fetch is told when it is kept whole, so the answers it is made of need not be kept as well.
    expect(told).toEqual([false, false, true]);
    versions.observe(OTHER, 'o/2');
    expect(await fetch()).toEqual({ data: { merged: 4 } });
  });

  it('forgets every version on a topology reload', () => {
    const versions = new DataVersions(() => [INSTANCE]);
    versions.observe(INSTANCE, 'o/1');
    const before = versions.epoch('alliances');
    versions.forgetAll();
    expect(versions.versioned('alliances')).toBe(false);
    expect(versions.epoch('alliances')).toBeGreaterThan(before);
  });
});
