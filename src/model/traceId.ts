// Trace ids as people paste and links carry them: X-Ray's `1-5f84c7a1-…` or W3C's 32 hex digits
// (a traceparent's trace id), which X-Ray writes as 1-{first 8}-{last 24}.

/** The X-Ray form of a trace id typed or linked in (W3C ids converted); undefined when it is neither form. */
export function parseTraceId(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(t)) return t;
  if (/^[0-9a-f]{32}$/.test(t) && !/^0+$/.test(t)) return `1-${t.slice(0, 8)}-${t.slice(8)}`;
  return undefined;
}
