'use strict';
// OpenTelemetry setup for the catalog service. Must be required before anything loads `http`,
// so the HTTP instrumentation can wrap it.
//
// Configuration comes from the standard environment variables:
//   OTEL_SERVICE_NAME                     service.name (default "catalog")
//   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT    full URL, e.g. http://127.0.0.1:4318/v1/traces
//   OTEL_EXPORTER_OTLP_ENDPOINT           base URL, "/v1/traces" is appended
//   OTEL_EXPORTER_OTLP_TRACES_PROTOCOL    http/protobuf (default) or http/json
//   OTEL_EXPORTER_OTLP_TRACES_COMPRESSION gzip or none
//   OTEL_SEMCONV_STABILITY_OPT_IN         "http", "code" (new attribute names) or "http/dup", "code/dup" (both)
const { trace, SpanStatusCode, SpanKind } = require('@opentelemetry/api');
const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node');
const { detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations, semconvStabilityFromStr, SemconvStability } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_CODE_FUNCTION_NAME,
  ATTR_CODE_FILE_PATH,
  ATTR_CODE_LINE_NUMBER,
  SEMATTRS_CODE_FUNCTION,
  SEMATTRS_CODE_FILEPATH,
  SEMATTRS_CODE_LINENO,
} = require('@opentelemetry/semantic-conventions');

const protocol =
  process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || process.env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf';

function createExporter() {
  // Both exporters read the endpoint, headers, timeout and compression from the environment.
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  }
  if (protocol === 'http/protobuf') {
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
    return new OTLPTraceExporter();
  }
  throw new Error(`unsupported OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ${protocol} (use http/json or http/protobuf)`);
}

const resource = resourceFromAttributes({
  [ATTR_SERVICE_NAME]: 'catalog',
  [ATTR_SERVICE_VERSION]: require('../../package.json').version,
  'deployment.environment.name': 'local',
}).merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }));

const provider = new NodeTracerProvider({
  resource,
  spanProcessors: [
    new BatchSpanProcessor(createExporter(), {
      scheduledDelayMillis: Number(process.env.OTEL_BSP_SCHEDULE_DELAY || 1000),
      maxExportBatchSize: Number(process.env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE || 64),
    }),
  ],
});
provider.register();

registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => req.url === '/health',
      requireParentforOutgoingSpans: true,
    }),
  ],
});

const tracer = trace.getTracer('trace-lens-sample-catalog', '1.0.0');
const codeSemconv = semconvStabilityFromStr('code', process.env.OTEL_SEMCONV_STABILITY_OPT_IN);

/** Where inSpan() was called from: the function, file and line of the code being timed. */
function callerLocation() {
  const holder = {};
  Error.captureStackTrace(holder, inSpan);
  const frame = holder.stack.split('\n')[1] || '';
  const match = /at (?:async )?(?:(.+?) \()?(.+):(\d+):\d+\)?$/.exec(frame.trim());
  if (!match) return {};
  const [, fn, file, line] = match;
  const attributes = {};
  if (codeSemconv & SemconvStability.OLD) {
    if (fn) attributes[SEMATTRS_CODE_FUNCTION] = fn;
    attributes[SEMATTRS_CODE_FILEPATH] = file;
    attributes[SEMATTRS_CODE_LINENO] = Number(line);
  }
  if (codeSemconv & SemconvStability.STABLE) {
    if (fn) attributes[ATTR_CODE_FUNCTION_NAME] = fn;
    attributes[ATTR_CODE_FILE_PATH] = file;
    attributes[ATTR_CODE_LINE_NUMBER] = Number(line);
  }
  return attributes;
}

/**
 * Runs `fn` in an active internal span called `name`, tagged with the source location of the
 * caller. An exception is recorded on the span, which is marked as an error, and rethrown.
 */
async function inSpan(name, attributes, fn) {
  const location = callerLocation();
  return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes: { ...location, ...attributes } }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Flushes the spans still queued and stops the exporter. */
function shutdownTelemetry() {
  return provider.shutdown();
}

module.exports = { tracer, inSpan, shutdownTelemetry, protocol };
