import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlClient, type GraphQLClient } from './support/client.js';
import { startFederationDemo, type RunningFixture } from './fixtures/federation-demo.js';

let fixture: RunningFixture;
let gatewayProcess: ChildProcess;
let query: GraphQLClient;

/** Starts `npm run gateway -- --supergraph FILE` as its own process and waits for its URL. */
async function startGatewayProcess(supergraphPath: string): Promise<string> {
  gatewayProcess = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', '--supergraph', supergraphPath, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    gatewayProcess.stdout!.on('data', onData);
    gatewayProcess.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    gatewayProcess.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
}

beforeAll(async () => {
  fixture = await startFederationDemo();
  const dir = mkdtempSync(join(tmpdir(), 'hub-supergraph-'));
  const path = join(dir, 'supergraph.graphql');
  writeFileSync(path, fixture.supergraphSdl);
  query = graphqlClient(await startGatewayProcess(path));
}, 60_000);

afterAll(async () => {
  gatewayProcess?.kill('SIGTERM');
  await fixture?.stop();
});

describe('the gateway on a supergraph that is not ours (--supergraph FILE)', () => {
  it('joins entities across services by key, with @requires and @provides', async () => {
    const result = await query(`{
      topProducts(first: 3) { upc name price inStock shippingEstimate reviews { body author { username name } } }
    }`);
    expect(result).toEqual({
      data: {
        topProducts: [
          { upc: '1', name: 'Table', price: 899, inStock: true, shippingEstimate: 50, reviews: [
            { body: 'Love it!', author: { username: '@ada', name: 'Ada Lovelace' } },
            { body: 'Prefer something else.', author: { username: '@complete', name: 'Alan Turing' } },
          ] },
          { upc: '2', name: 'Couch', price: 1299, inStock: false, shippingEstimate: 0, reviews: [
            { body: 'Too expensive.', author: { username: '@ada', name: 'Ada Lovelace' } },
          ] },
          { upc: '3', name: 'Chair', price: 54, inStock: true, shippingEstimate: 25, reviews: [
            { body: 'Could be better.', author: { username: '@complete', name: 'Alan Turing' } },
          ] },
        ],
      },
    });
  });

  it('resolves unions and interfaces, and nested entity chains', async () => {
    const result = await query(`{
      search(text: "ch") { __typename ... on Product { name inStock } ... on Category { name } }
      me { name reviews { product { name reviews { author { name } } } } }
    }`);
    expect(result).toEqual({
      data: {
        search: [
          { __typename: 'Product', name: 'Couch', inStock: false },
          { __typename: 'Product', name: 'Chair', inStock: true },
        ],
        me: {
          name: 'Ada Lovelace',
          reviews: [
            { product: { name: 'Table', reviews: [{ author: { name: 'Ada Lovelace' } }, { author: { name: 'Alan Turing' } }] } },
            { product: { name: 'Couch', reviews: [{ author: { name: 'Ada Lovelace' } }] } },
          ],
        },
      },
    });
  });

  it('reports a query against an unknown field as a validation error', async () => {
    const result = await query('{ topProducts { nope } }');
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
