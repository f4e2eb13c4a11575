// OpenTelemetry, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: a tracer
// provider with a batching OTLP/HTTP exporter (5 s export timeout), and one
// server span per request that continues the caller's traceparent. Without
// the variable nothing is loaded and the service makes its own W3C trace
// context (src/crypto.ts).
import { context, propagation, trace, SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import type { Config } from "./config.js";

export interface Telemetry {
  /** Starts the request's span; returns it and the traceparent to send on. */
  startRequest(name: string, incoming: string | undefined): { span: Span; traceparent: string };
  endRequest(span: Span, status: number): void;
  shutdown(): Promise<void>;
}

export async function startTelemetry(cfg: Config): Promise<Telemetry | undefined> {
  const endpoint = cfg.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  const { NodeTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-node");
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
  const { resourceFromAttributes } = await import("@opentelemetry/resources");
  const { W3CTraceContextPropagator } = await import("@opentelemetry/core");
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env["OTEL_SERVICE_NAME"] ?? "acme-payments" }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({
      url: `${endpoint.replace(/\/$/, "")}/v1/traces`, timeoutMillis: 5000,
    }))],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const tracer = trace.getTracer("acme-payments");
  return {
    startRequest(name, incoming) {
      const parent = propagation.extract(context.active(), incoming ? { traceparent: incoming } : {});
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), carrier);
      return { span, traceparent: carrier["traceparent"] ?? "" };
    },
    endRequest(span, status) {
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
    shutdown: () => provider.shutdown(),
  };
}
