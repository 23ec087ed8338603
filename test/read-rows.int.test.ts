import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EntityClass } from '@mikro-orm/core';
import { Loaders, bySortKey, readRows, type EntityManager } from '../subgraphs/kit/index.js';
import { alliancesSubgraph } from '../subgraphs/alliances/index.js';
import { Alliance } from '../subgraphs/alliances/entities/alliance.js';
import { Membership } from '../subgraphs/alliances/entities/membership.js';
import { Organization } from '../subgraphs/alliances/entities/organization.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(alliancesSubgraph, { seed: true });
  // An alliance without a municipality: its nullable embeddable must read as null, not as { name: null, ags: null }.
  const created = await subgraph.query(`mutation { createAlliance(input: { region: SL, name: "Bündnis ohne Gemeinde" }) { id } }`);
  expect(created.errors).toBeUndefined();
});
afterAll(async () => subgraph?.stop());

const fork = () => subgraph.orm.em.fork() as EntityManager;

/** What a resolver can read off a record: every persisted, non-lazy property, a reference as its id. */
function readable(em: EntityManager, entity: EntityClass<object>, record: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const prop of em.getMetadata().get(entity).props) {
    if (prop.lazy || prop.persist === false || prop.embedded || !['scalar', 'm:1', 'embedded'].includes(prop.kind)) continue;
    const value = (record as Record<string, unknown>)[prop.name];
    out[prop.name] = prop.kind === 'm:1' ? (value as { id?: string } | null)?.id ?? value : JSON.parse(JSON.stringify(value ?? null));
  }
  return out;
}

describe('readRows: plain rows for answering', () => {
  it('reads what em.find reads, embeddables and references included, as instances of the entity', async () => {
    for (const entity of [Alliance, Membership, Organization] as EntityClass<object>[]) {
      const em = fork();
      const managed = await em.find(entity, {}, { orderBy: { id: 'asc' } as never });
      const inIdentityMap = em.getUnitOfWork().getIdentityMap().values().length;
      const rows = await readRows(em, entity, {}, { orderBy: { id: 'asc' } as never });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((row) => readable(em, entity, row))).toEqual(managed.map((e) => readable(em, entity, e)));
      // type-graphql hands an instance of the type to field resolvers as it is (a plain object it would copy per field).
      for (const row of rows) expect(row).toBeInstanceOf(entity);
      // Rows for answering stay out of the unit of work: a flush would not see them.
      expect(em.getUnitOfWork().getIdentityMap().values().length).toBe(inIdentityMap);
    }
    const lone = (await readRows(fork(), Alliance, { name: 'Bündnis ohne Gemeinde' })).at(0);
    expect(lone?.municipality).toBeNull();
    expect(lone?.workingGroups).toEqual([]);
  });

  it('narrows to the keys given, whatever characters they hold, with the filter and order applied', async () => {
    const em = fork();
    const [organization] = await em.find(Organization, {}, { limit: 1, orderBy: { id: 'asc' } });
    const odd = ['NULL', 'a"b\\c', ' with spaces ', '{x,y}', ''];
    const found = await readRows(em, Organization, {}, { keys: { property: 'id', values: [...odd, organization.id] } });
    expect(found.map((o) => o.id)).toEqual([organization.id]);

    const [alliance] = await em.find(Alliance, { memberships: { $some: {} } }, { limit: 1, orderBy: { id: 'asc' } });
    const expected = await em.find(Membership, { alliance, leftOn: null }, { orderBy: { joinedOn: 'asc', id: 'asc' } });
    const memberships = await readRows(fork(), Membership, { leftOn: null }, {
      keys: { property: 'alliance', values: [alliance.id] }, orderBy: { joinedOn: 'asc', id: 'asc' },
    });
    expect(memberships.length).toBeGreaterThan(0);
    expect(memberships.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    expect(memberships.every((m) => m.alliance.id === alliance.id && m.leftOn === null)).toBe(true);
  });

  it('builds a keyed read once and runs it with each call\'s own keys, filter values and transaction', async () => {
    const em = fork();
    const alliances = await em.find(Alliance, { memberships: { $some: {} } }, { limit: 3, orderBy: { id: 'desc' } });
    expect(alliances.length).toBeGreaterThanOrEqual(2);
    // Built once or not, a keyed read shapes its rows as em.find does: embeddables, arrays, dates, references.
    for (const entity of [Alliance, Organization, Membership] as EntityClass<object>[]) {
      const managed = await fork().find(entity, {}, { limit: 5, orderBy: { id: 'asc' } as never }) as { id: string }[];
      const ids = managed.map((record) => record.id);
      for (let round = 0; round < 2; round++) {
        const rows = await readRows(em, entity, {}, { keys: { property: 'id' as never, values: ids }, orderBy: { id: 'asc' } as never });
        expect(rows.map((row) => readable(em, entity, row))).toEqual(managed.map((record) => readable(em, entity, record)));
      }
    }
    const built = vi.spyOn(em, 'createQueryBuilder');
    const shape = (id: string) => readRows(em, Membership, { leftOn: null }, { keys: { property: 'alliance', values: [id] }, orderBy: { joinedOn: 'asc', id: 'asc' } });
    for (const alliance of alliances) {
      const expected = await fork().find(Membership, { alliance, leftOn: null }, { orderBy: { joinedOn: 'asc', id: 'asc' } });
      expect((await shape(alliance.id)).map((m) => m.id)).toEqual(expected.map((m) => m.id));
    }
    // The same shape again costs no query building; another filter value is another statement.
    expect(built.mock.calls.length).toBeLessThanOrEqual(1);
    const all = await readRows(em, Membership, {}, { keys: { property: 'alliance', values: [alliances[0].id] } });
    const current = await readRows(em, Membership, { leftOn: null }, { keys: { property: 'alliance', values: [alliances[0].id] } });
    expect(all.length).toBe(await fork().count(Membership, { alliance: alliances[0] }));
    expect(current.length).toBe(await fork().count(Membership, { alliance: alliances[0], leftOn: null }));
    built.mockRestore();

    // Inside a transaction the read sees the transaction's own writes (it runs on its connection).
    const [organization] = await fork().find(Organization, {}, { limit: 1, orderBy: { id: 'asc' } });
    await fork().transactional(async (tx) => {
      const renamed = await tx.findOneOrFail(Organization, organization.id);
      renamed.name = `${organization.name} (umbenannt)`;
      await tx.flush();
      const [seen] = await readRows(tx as EntityManager, Organization, {}, { keys: { property: 'id', values: [organization.id] } });
      expect(seen.name).toBe(`${organization.name} (umbenannt)`);
      throw Object.assign(new Error('rolled back'), { rollback: true });
    }).catch((error: { rollback?: boolean }) => { if (!error.rollback) throw error; });
    const [after] = await readRows(fork(), Organization, {}, { keys: { property: 'id', values: [organization.id] } });
    expect(after.name).toBe(organization.name);
  });
});

describe('Loaders.linkedBy: records reached through link rows', () => {
  it('gives each key its current targets once, in sort-key order, in two statements for any number of keys', async () => {
    // Alliances with members first, then those without.
    const withMembers = await fork().find(Alliance, { memberships: { $some: {} } }, { orderBy: { id: 'asc' } });
    expect(withMembers.length).toBeGreaterThanOrEqual(2);
    const alliances = [...withMembers, ...await fork().find(Alliance, { memberships: { $none: {} } }, { orderBy: { id: 'asc' } })];
    // What a joined em.find of the same links gives: organisations of current memberships held here.
    const expected = async (allianceId: string) => {
      const links = await fork().find(Membership, { alliance: allianceId, leftOn: null });
      const targets = await fork().find(Organization, { id: { $in: links.map((l) => l.organizationId) } });
      return targets.sort(bySortKey).map((o) => o.id);
    };
    const linked = (em: EntityManager) => new Loaders(em).linkedBy(Membership, 'alliance', {
      target: 'organizationId', entity: Organization, where: { leftOn: null }, name: 'current',
    });
    const unknown = 'sl-alliance-none';
    for (const keys of [[alliances[0].id], [...alliances.map((a) => a.id), unknown]]) {
      subgraph.statements.length = 0;
      const found = await linked(fork()).loadMany(keys);
      expect(subgraph.statements.length).toBe(2);
      for (const [i, id] of keys.entries()) {
        const ids = (found[i] as Organization[]).map((o) => o.id);
        expect(ids).toEqual(id === unknown ? [] : await expected(id));
        expect(new Set(ids).size).toBe(ids.length);
        for (const organization of found[i] as Organization[]) expect(organization).toBeInstanceOf(Organization);
      }
    }
    // A membership that ended is no link: the filter applies to the link rows.
    const em = fork();
    const [ending] = await em.find(Membership, { alliance: alliances[0].id, leftOn: null }, { limit: 1, orderBy: { id: 'asc' } });
    expect(await linked(fork()).load(alliances[0].id)).toContainEqual(expect.objectContaining({ id: ending.organizationId }));
    ending.leftOn = '2026-01-01';
    await em.flush();
    const after = (await linked(fork()).load(alliances[0].id)).map((o) => o.id);
    expect(after).toEqual(await expected(alliances[0].id));
    expect(after).not.toContain(ending.organizationId);
  });
});

describe('Loaders.manyBy alongside, and recordById', () => {
  it('reads the records the rows name in the same batch, so recordById answers them without a promise', async () => {
    const alliances = await fork().find(Alliance, {}, { orderBy: { id: 'asc' } });
    const ids = alliances.map((a) => a.id);
    const loaders = new Loaders(fork());
    subgraph.statements.length = 0;
    const groups = await loaders.manyBy(Membership, 'alliance', {
      orderBy: { joinedOn: 'asc', id: 'asc' }, alongside: { entity: Organization, idOf: (m) => m.organizationId },
    }).loadMany(ids);
    // The memberships, then their organisations: two statements for every alliance at once.
    expect(subgraph.statements.length).toBe(2);
    const memberships = groups.flatMap((group) => group as Membership[]);
    expect(memberships.length).toBeGreaterThan(2);
    for (const membership of memberships) {
      const organization = loaders.recordById(Organization, membership.organizationId);
      expect(organization).not.toBeInstanceOf(Promise);
      expect(organization).toEqual(await new Loaders(fork()).byId(Organization).load(membership.organizationId));
    }
    // An id not read yet is read as byId reads it; one read and not found is null, also without a promise.
    const [other] = await fork().find(Organization, { id: { $nin: memberships.map((m) => m.organizationId) } }, { limit: 1 });
    const pending = loaders.recordById(Organization, other.id);
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending)?.id).toBe(other.id);
    expect(loaders.recordById(Organization, other.id)).toBeInstanceOf(Organization);
    await loaders.byId(Organization).load('sl-organization-none');
    expect(loaders.recordById(Organization, 'sl-organization-none')).toBeNull();
    // Without `alongside` nothing is read beside the rows.
    const plain = new Loaders(fork());
    await plain.manyBy(Membership, 'alliance').loadMany(ids);
    const later = plain.recordById(Organization, memberships[0].organizationId);
    expect(later).toBeInstanceOf(Promise);
    expect((await later)?.id).toBe(memberships[0].organizationId);
  });
});

describe('Loaders: batches of any size', () => {
  it('reads thousands of keys in one statement per loader', async () => {
    const [organization] = await fork().find(Organization, {}, { limit: 1, orderBy: { id: 'asc' } });
    const keys = [...Array.from({ length: 2_500 }, (_, i) => `sl-organization-${i}`), organization.id];
    const loaders = new Loaders(fork());
    subgraph.statements.length = 0;
    const found = await loaders.byId(Organization).loadMany(keys);
    expect(subgraph.statements.length).toBe(1);
    expect(found.filter((o) => o !== null).map((o) => (o as Organization).id)).toEqual([organization.id]);
    subgraph.statements.length = 0;
    await loaders.manyBy(Membership, 'organizationId').loadMany(keys);
    expect(subgraph.statements.length).toBe(1);
  });
});
