// Trace ids as users paste them: X-Ray's `1-5759e988-bd862e3fe1be46a994272793`, the same 32 hex
// digits as W3C/OpenTelemetry writes them, or a whole `traceparent` header.

const xrayId = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;
const w3cId = /^([0-9a-f]{8})([0-9a-f]{24})$/;
const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The X-Ray form (`1-xxxxxxxx-…`) of a pasted trace id, or undefined when it is not one. */
export function toXRayTraceId(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (xrayId.test(t)) return t;
  const hex = traceparent.exec(t)?.[1] ?? t;
  const m = w3cId.exec(hex);
  // An all-zero id is W3C's "invalid"; no trace has it.
  if (!m || /^0+$/.test(hex)) return undefined;
  return `1-${m[1]}-${m[2]}`;
}

/** The W3C form (32 hex digits) of an X-Ray trace id, for searching logs that use it. */
export function toW3CTraceId(xray: string): string | undefined {
  const m = xrayId.exec(xray.trim().toLowerCase());
  return m ? m[1]! + m[2]! : undefined;
}
