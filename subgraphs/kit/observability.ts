import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';
import { isInternalOperation } from '../shared/limits.js';

/**
 * Structured logs at HUB_LOG_LEVEL (default info): JSON lines, or readable lines on a terminal
 * (HUB_LOG_FORMAT=json|pretty overrides). One root logger per process; every service logs
 * through a child naming it. Readable lines are formatted in this thread and written at once, so
 * none is lost when the process exits right after logging (a transport's worker would drop them).
 */
const pretty = process.env.HUB_LOG_FORMAT ? process.env.HUB_LOG_FORMAT === 'pretty' : process.stdout.isTTY === true;
const options = { level: process.env.HUB_LOG_LEVEL ?? 'info', base: undefined };
const root: Logger = pretty
  ? pino(options, pinoPretty({
    sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', singleLine: true,
    ignore: 'service', messageFormat: '{if service}{service}: {end}{msg}',
  }))
  : pino(options);

export function serviceLogger(service: string): Logger {
  return root.child({ service });
}

/** Travels from the gateway to every subgraph request of the same operation. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The caller's request id when it looks like one, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
}

collectDefaultMetrics();

/** The label of an operation sent without a name. */
export const ANONYMOUS_OPERATION = '(anonymous)';
/** The label of every value a bounded label set does not take; no well-formed name looks like it. */
export const OTHER_LABEL = '(other)';
/** Operation names kept as labels per service; the planner's names for subgraphs add about 15 characters. */
export const MAX_OPERATION_LABELS = 100;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/**
 * Label values taken from what callers send, within a bounded set: every value is a time series
 * kept for the life of the process. A value is taken when it is well-formed and among the first
 * `limit` distinct ones; anything else counts under OTHER_LABEL.
 */
class BoundedLabels {
  private readonly taken = new Set<string>();

  constructor(private readonly pattern: RegExp, private readonly limit: number) {}

  label(value: string): string {
    if (this.taken.has(value)) return value;
    if (this.taken.size >= this.limit || !this.pattern.test(value)) return OTHER_LABEL;
    this.taken.add(value);
    return value;
  }
}

/** Per service, since instances sharing a process (npm start) would otherwise crowd each other out. */
const operationLabels = new Map<string, BoundedLabels>();

/** The label an operation is counted under: its name when the service's bounded set takes it. */
export function operationLabel(service: string, operationName: string | null | undefined): string {
  if (!operationName) return ANONYMOUS_OPERATION;
  let labels = operationLabels.get(service);
  if (!labels) operationLabels.set(service, labels = new BoundedLabels(OPERATION_NAME, MAX_OPERATION_LABELS));
  return labels.label(operationName);
}

const operations = new Counter({
  name: 'hub_graphql_operations_total',
  help: 'GraphQL operations answered, by service, operation name and outcome (ok or error).',
  labelNames: ['service', 'operation', 'outcome'],
});
const durations = new Histogram({
  name: 'hub_graphql_operation_duration_seconds',
  help: 'Time to answer a GraphQL operation, by service and operation name.',
  labelNames: ['service', 'operation'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
const internalOperations = new Counter({
  name: 'hub_internal_operations_total',
  help: 'The gateway\'s own requests to an instance (health probes, schema checks), by service, operation and outcome; not in hub_graphql_operations_total.',
  labelNames: ['service', 'operation', 'outcome'],
});
const errorsByCode = new Counter({
  name: 'hub_graphql_errors_total',
  help: 'Errors in GraphQL answers, by service and extensions.code.',
  labelNames: ['service', 'code'],
});
/** For the gateway: each request to a subgraph instance. */
export const subgraphFetches = new Histogram({
  name: 'hub_subgraph_request_duration_seconds',
  help: 'Time of a request from the gateway to a subgraph instance, by subgraph, instance and outcome.',
  labelNames: ['subgraph', 'instance', 'outcome'],
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

export const PROMETHEUS_CONTENT_TYPE: string = register.contentType;

/** Prometheus text of every metric of this process. */
export function prometheusText(): Promise<string> {
  return register.metrics();
}

/**
 * Logs and counts every operation with its request id; the context must carry `requestId`. The
 * gateway's health probes and schema checks (INTERNAL_OPERATIONS) are logged at debug and counted
 * apart, so that the log and `hub_graphql_operations_total` show what clients asked.
 */
export function observabilityPlugin<T extends BaseContext & { requestId: string }>(service: string, logger: Logger): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ contextValue, request }) {
      const started = process.hrtime.bigint();
      const internal = isInternalOperation(request.operationName, request.query);
      return {
        async willSendResponse({ operationName, errors, response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          // The codes as sent (after formatError): a database error counts as the code the client saw.
          const sent = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const codes = (sent ?? errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          const outcome = codes.length ? 'error' : 'ok';
          response.http.headers.set(REQUEST_ID_HEADER, contextValue.requestId);
          const line = {
            requestId: contextValue.requestId, operation: operationName?.slice(0, 200) ?? ANONYMOUS_OPERATION,
            ms: Math.round(seconds * 1000), errors: codes.length ? codes : undefined,
          };
          if (internal) {
            internalOperations.inc({ service, operation: operationName!, outcome });
            logger.debug(line, 'graphql (gateway probe)');
            return;
          }
          const operation = operationLabel(service, operationName);
          operations.inc({ service, operation, outcome });
          durations.observe({ service, operation }, seconds);
          for (const code of codes) errorsByCode.inc({ service, code });
          // The log line keeps the name as sent (cut short): it is not kept, unlike a label.
          logger.info(line, 'graphql');
        },
      };
    },
  };
}
