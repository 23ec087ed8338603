import { SpanKind, SpanStatusCode, context, propagation, trace, type Attributes } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

/**
 * OpenTelemetry tracing, off unless switched on: HUB_OTEL_ENDPOINT (an OTLP/HTTP traces URL such
 * as http://collector:4318/v1/traces). Without a provider the spans below cost nothing. Apollo
 * Gateway adds its own spans (request, plan, fetch) under ours.
 */
export function startTracing(exporter?: SpanExporter): { shutdown(): Promise<void> } {
  const provider = new NodeTracerProvider({
    spanProcessors: [exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter({ url: process.env.HUB_OTEL_ENDPOINT }))],
  });
  // Registers the tracer, AsyncLocalStorage context and W3C trace-context propagation for the process.
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

export function tracingFromEnvironment(): { shutdown(): Promise<void> } | undefined {
  return process.env.HUB_OTEL_ENDPOINT ? startTracing() : undefined;
}

const tracer = () => trace.getTracer('buendnis-hub');

/** Runs `work` in a span; a thrown error marks the span failed. */
export async function inSpan<T>(
  name: string, kind: SpanKind, attributes: Attributes, work: () => Promise<T>, parent = context.active(),
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace an incoming request belongs to (its `traceparent` header). */
export function incomingTraceContext(headers: Record<string, string | string[] | undefined>) {
  return propagation.extract(context.active(), headers);
}

/** Adds the current trace to outgoing request headers. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

export { SpanKind };
