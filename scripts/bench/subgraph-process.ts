/**
 * Hosts subgraph instances for the bench, as a deployment would run them: apart from the load
 * generator and the gateway. Started by run.ts (one process per subgraph, holding that
 * subgraph's regional and single instances); `start` gets the instances to run and answers with
 * their URLs, `stats` adds the SQL statements they sent and the operations they answered.
 */
import './quiet.js';
import 'reflect-metadata';
import { register } from 'prom-client';
import { readPublicKeys, startSubgraph, type ConnectionBudget, type Region, type RunningSubgraph } from '../../subgraphs/kit/index.js';
import { SUBGRAPHS } from '../../subgraphs/index.js';
import { serveParent } from './child.js';
import { INSTANCES_STARTING_AT_ONCE, aFewAtATime } from '../lib/a-few-at-a-time.js';

export interface InstancePlan {
  subgraph: string;
  databaseUrl: string;
  /** undefined: one instance for all regions. */
  regions?: Region[];
  /** Its name in the topology, which the gateway signs for. */
  name: string;
}

const running: RunningSubgraph[] = [];
let statements = 0;

/** The operations this process's instances answered, from the counter they all add to (observability.ts). */
async function operationsAnswered(): Promise<number> {
  const counter = register.getSingleMetric('hub_graphql_operations_total');
  return counter ? (await counter.get()).values.reduce((sum, { value }) => sum + value, 0) : 0;
}

if (process.send) {
  serveParent(async (message) => {
    if (message.type !== 'start') throw new Error(`unknown message ${message.type}`);
    const plans = message.instances as InstancePlan[];
    // Four processes start theirs at the same time: one instance each at a time is as many as in npm start.
    const started = await aFewAtATime(plans, INSTANCES_STARTING_AT_ONCE / 4, (plan) => startSubgraph(SUBGRAPHS.find((d) => d.name === plan.subgraph)!, {
      databaseUrl: plan.databaseUrl, port: 0, host: '127.0.0.1', migrate: false, seed: false, regions: plan.regions,
      instanceName: plan.name, gatewayPublicKeys: readPublicKeys(message.gatewayPublicKeys as string), onQuery: () => { statements++; },
      connections: message.connections as Partial<ConnectionBudget> | undefined,
    }));
    running.push(...started);
    return { type: 'started', urls: started.map((instance) => instance.url) };
  }, async () => ({ statements, operations: await operationsAnswered() }), async () => { await Promise.all(running.map((instance) => instance.stop())); });
}
