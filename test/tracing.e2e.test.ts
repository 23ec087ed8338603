import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startTracing, type Region } from '../subgraphs/kit/index.js';
import { DEMO } from '../data/demo/ids.js';
import { startTestHub, type TestHub } from './support/hub.js';

/** Tracing switched on: one trace from the caller through the gateway to every subgraph instance it asks. */
const exporter = new InMemorySpanExporter();
let tracing: { shutdown(): Promise<void> };
let hub: TestHub;

beforeAll(async () => {
  tracing = startTracing(exporter);
  hub = await startTestHub({ seed: true, regions: [['SL'], ['NW', 'BW', 'DE', 'ST', 'TH']] as Region[][] });
}, 90_000);
afterAll(async () => {
  await hub?.stop();
  await tracing?.shutdown();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing', () => {
  it('continues the caller\'s trace in the gateway, its subgraph requests and the subgraphs', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const result = await hub.anonymous(`query Traced { alliance(id: "${DEMO.alliance.saarbruecken}") { name networks { name } } }`, {},
      { traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(result.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const gateway = spans.find((s) => s.name === 'POST /graphql' && s.attributes['hub.service'] === 'gateway')!;
    expect(gateway).toBeDefined();
    expect(parentOf(gateway)).toBe(callerSpan);

    const clients = spans.filter((s) => s.name.startsWith('subgraph '));
    // alliance(id: SL…) goes to alliances-sl; Alliance.networks is asked of both networks instances.
    expect(clients.map((s) => s.name).sort()).toEqual(['subgraph alliances-sl', 'subgraph networks-nw-bw-de-st-th', 'subgraph networks-sl']);
    for (const client of clients) {
      const server = spans.find((s) => s.name === 'POST /graphql' && parentOf(s) === client.spanContext().spanId);
      expect(server?.attributes['hub.service'], client.name).toBe(client.attributes['hub.instance']);
    }
    // Apollo Gateway's own spans hang under the gateway's request span.
    expect(spans.some((s) => s.name.startsWith('gateway.'))).toBe(true);
  });
});
