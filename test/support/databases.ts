import { inject } from 'vitest';
import pg from 'pg';
import { randomUUID } from 'node:crypto';

/** Creates a fresh, uniquely named database on the test server and returns its URL. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const base = inject('postgresBaseUrl');
  const name = `${prefix}_${randomUUID().slice(0, 8)}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const client = new pg.Client({ connectionString: `${base}postgres` });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  return `${base}${name}`;
}
