// The X-Ray daemon's UDP format: a JSON header line, a newline, then one segment document.
// The Node and Python SDKs write `{"format": "json", "version": 1}`, Java `{"format":"json","version":1}`.

/** The daemon's datagram size limit: a document that does not fit is cut by the sender. */
export const maxDatagramBytes = 64 * 1024;

/** A datagram split into its document, or the reason it cannot be used. */
export type DatagramResult = { ok: true; document: string; headerRepaired?: string } | { ok: false; message: string };

/** Splits a datagram's text into header and document and checks the header. */
export function splitDatagram(text: string): DatagramResult {
  const nl = text.indexOf('\n');
  const headerText = nl < 0 ? text : text.slice(0, nl);
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    header = undefined;
  }
  const isHeader = typeof header === 'object' && header !== null && 'format' in header;
  if (!isHeader) {
    // No header line: some hand-rolled senders send the bare document.
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{'))
      return { ok: true, document: text, headerRepaired: 'datagram without the daemon header line' };
    return {
      ok: false,
      message: `datagram is not '{"format":"json","version":1}' + newline + a JSON document (starts with ${JSON.stringify(text.slice(0, 24))})`,
    };
  }
  const h = header as { format?: unknown; version?: unknown };
  if (h.format !== 'json')
    return { ok: false, message: `datagram header has format ${JSON.stringify(h.format)}, expected "json"` };
  if (nl < 0) return { ok: false, message: 'datagram has a header but no document' };
  const document = text.slice(nl + 1);
  return h.version === 1
    ? { ok: true, document }
    : { ok: true, document, headerRepaired: `datagram header version ${JSON.stringify(h.version)}, read as 1` };
}
