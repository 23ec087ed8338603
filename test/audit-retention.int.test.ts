import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError, auditRetentionDaysSetting, keepAuditLogFor, pruneAuditLog, readConfig, type EntityManager,
} from '../subgraphs/kit/index.js';
import { networksSubgraph } from '../subgraphs/networks/index.js';
import { createTestDatabase } from './support/databases.js';
import { startTestSubgraph, type TestSubgraph } from './support/subgraph.js';

/** Entries older than HUB_AUDIT_RETENTION_DAYS are deleted when an instance starts and once a day after. */
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number, from = Date.now()) => new Date(from - days * DAY_MS);
const silent = { info: () => undefined, error: () => undefined };

let databaseUrl: string;
let subgraph: TestSubgraph;
const sql = (text: string, params: unknown[] = []) => subgraph.orm.em.fork().getConnection().execute(text, params);

/** Writes an entry straight into the table, as one written long ago would be. */
async function insertEntry(at: Date, entityId = `SL:network:${randomUUID()}`): Promise<string> {
  await sql(`insert into audit_log (id, at, actor, action, entity, entity_id, region, fields)
    values (?, ?, 'archiv@saarland.example', 'update', 'Network', ?, 'SL', '{name}')`, [randomUUID(), at, entityId]);
  return entityId;
}
const stored = async (entityId: string) => (await sql('select count(*)::int as n from audit_log where entity_id = ?', [entityId]))[0].n as number;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('audit_retention');
  subgraph = await startTestSubgraph(networksSubgraph, { databaseUrl });
});
afterAll(async () => subgraph?.stop());

describe('audit log retention', () => {
  it('prunes the entries older than the retention period and keeps the rest', async () => {
    const now = Date.now();
    const old = await insertEntry(daysAgo(400, now));
    const justOld = await insertEntry(daysAgo(365, now - 1000));
    const recent = await insertEntry(daysAgo(364, now));
    expect(await pruneAuditLog(subgraph.orm.em.fork() as EntityManager, 365, new Date(now))).toBe(2);
    expect([await stored(old), await stored(justOld), await stored(recent)]).toEqual([0, 0, 1]);
    expect(await pruneAuditLog(subgraph.orm.em.fork() as EntityManager, 30, new Date(now))).toBe(1);
    expect(await stored(recent)).toBe(0);
  });

  it('prunes when an instance starts (365 days unless told otherwise)', async () => {
    const old = await insertEntry(daysAgo(366));
    const kept = await insertEntry(daysAgo(300));
    await subgraph.stop();
    subgraph = await startTestSubgraph(networksSubgraph, { databaseUrl });
    expect([await stored(old), await stored(kept)]).toEqual([0, 1]);
  });

  it('prunes again on its timer until stopped', async () => {
    const stop = await keepAuditLogFor(subgraph.orm.em as EntityManager, 10, silent, 50);
    try {
      const old = await insertEntry(daysAgo(11));
      await expect.poll(() => stored(old), { timeout: 5_000 }).toBe(0);
    } finally {
      stop();
    }
    const afterStop = await insertEntry(daysAgo(11));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await stored(afterStop)).toBe(1);
  });

  it('reads HUB_AUDIT_RETENTION_DAYS as whole days from 1, 365 when unset', () => {
    const settings = z.object({ HUB_AUDIT_RETENTION_DAYS: auditRetentionDaysSetting });
    expect(readConfig(settings, {}).HUB_AUDIT_RETENTION_DAYS).toBe(365);
    expect(readConfig(settings, { HUB_AUDIT_RETENTION_DAYS: '30' }).HUB_AUDIT_RETENTION_DAYS).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'ein Jahr', '100000']) {
      expect(() => readConfig(settings, { HUB_AUDIT_RETENTION_DAYS: bad }), bad).toThrow(ConfigError);
    }
    expect(() => readConfig(settings, { HUB_AUDIT_RETENTION_DAYS: '0' })).toThrow(/HUB_AUDIT_RETENTION_DAYS: must be at least 1 day/);
  });
});
