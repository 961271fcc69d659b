// A small protobuf wire-format decoder for OTLP's ExportTraceServiceRequest, producing the same
// object shape as OTLP/JSON (ids as hex, int64 as decimal strings) so one converter serves both.
// Written here rather than pulling a protobuf runtime: the schema is fixed and small, and the model
// stays free of dependencies.

/** A malformed protobuf body. */
export class ProtobufError extends Error {}

class Reader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** A varint known to be small (tags, lengths, enums). */
  uint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    // A longer varint here is a 64-bit value we do not need exactly.
    return Number(this.varintRest(result, mul));
  }

  private varintRest(acc: number, mul: number): number {
    for (let i = 5; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      const b = this.buf[this.pos++]!;
      acc += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return acc;
      mul *= 128;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  bytes(): Uint8Array {
    const len = this.uint();
    if (this.pos + len > this.end) throw new ProtobufError(`field of ${len} bytes runs past the end of its message`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new ProtobufError('truncated fixed64');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getBigUint64(0, true);
    this.pos += 8;
    return v;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtobufError('truncated double');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new ProtobufError('truncated field');
  }
}

const utf8 = new TextDecoder('utf-8');
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

type Obj = Record<string, unknown>;

/** Reads a message's fields, calling onField(fieldNumber, wireType, reader) for each. */
function message(buf: Uint8Array, onField: (field: number, wire: number, r: Reader) => boolean): void {
  const r = new Reader(buf);
  while (r.pos < r.end) {
    const tag = r.uint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new ProtobufError('field number 0');
    if (!onField(field, wire, r)) r.skip(wire);
  }
}

function expectWire(wire: number, want: number, what: string): void {
  if (wire !== want) throw new ProtobufError(`${what} has wire type ${wire}, expected ${want}`);
}

function anyValue(buf: Uint8Array, depth: number): Obj {
  if (depth > 32) throw new ProtobufError('attribute values nested too deep');
  const out: Obj = {};
  message(buf, (f, w, r) => {
    switch (f) {
      case 1:
        expectWire(w, 2, 'string_value');
        out.stringValue = utf8.decode(r.bytes());
        return true;
      case 2:
        expectWire(w, 0, 'bool_value');
        out.boolValue = r.varint() !== 0n;
        return true;
      case 3:
        expectWire(w, 0, 'int_value');
        out.intValue = BigInt.asIntN(64, r.varint()).toString();
        return true;
      case 4:
        expectWire(w, 1, 'double_value');
        out.doubleValue = r.double();
        return true;
      case 5: {
        expectWire(w, 2, 'array_value');
        const values: Obj[] = [];
        message(r.bytes(), (f2, w2, r2) =>
          f2 === 1 ? (expectWire(w2, 2, 'array value'), values.push(anyValue(r2.bytes(), depth + 1)), true) : false,
        );
        out.arrayValue = { values };
        return true;
      }
      case 6: {
        expectWire(w, 2, 'kvlist_value');
        const values: Obj[] = [];
        message(r.bytes(), (f2, w2, r2) =>
          f2 === 1 ? (expectWire(w2, 2, 'kvlist entry'), values.push(keyValue(r2.bytes(), depth + 1)), true) : false,
        );
        out.kvlistValue = { values };
        return true;
      }
      case 7:
        expectWire(w, 2, 'bytes_value');
        out.bytesValue = hex(r.bytes());
        return true;
      default:
        return false;
    }
  });
  return out;
}

function keyValue(buf: Uint8Array, depth = 0): Obj {
  const out: Obj = { key: '' };
  message(buf, (f, w, r) => {
    if (f === 1) {
      expectWire(w, 2, 'key');
      out.key = utf8.decode(r.bytes());
      return true;
    }
    if (f === 2) {
      expectWire(w, 2, 'value');
      out.value = anyValue(r.bytes(), depth);
      return true;
    }
    return false;
  });
  return out;
}

function attributesInto(list: Obj[], w: number, r: Reader): true {
  expectWire(w, 2, 'attribute');
  list.push(keyValue(r.bytes()));
  return true;
}

function event(buf: Uint8Array): Obj {
  const attributes: Obj[] = [];
  const out: Obj = { attributes };
  message(buf, (f, w, r) => {
    if (f === 1) {
      expectWire(w, 1, 'time_unix_nano');
      out.timeUnixNano = r.fixed64().toString();
      return true;
    }
    if (f === 2) {
      expectWire(w, 2, 'name');
      out.name = utf8.decode(r.bytes());
      return true;
    }
    if (f === 3) return attributesInto(attributes, w, r);
    return false;
  });
  return out;
}

function span(buf: Uint8Array): Obj {
  const attributes: Obj[] = [];
  const events: Obj[] = [];
  const out: Obj = { attributes, events };
  message(buf, (f, w, r) => {
    switch (f) {
      case 1:
        expectWire(w, 2, 'trace_id');
        out.traceId = hex(r.bytes());
        return true;
      case 2:
        expectWire(w, 2, 'span_id');
        out.spanId = hex(r.bytes());
        return true;
      case 3:
        expectWire(w, 2, 'trace_state');
        out.traceState = utf8.decode(r.bytes());
        return true;
      case 4:
        expectWire(w, 2, 'parent_span_id');
        out.parentSpanId = hex(r.bytes());
        return true;
      case 5:
        expectWire(w, 2, 'name');
        out.name = utf8.decode(r.bytes());
        return true;
      case 6:
        expectWire(w, 0, 'kind');
        out.kind = r.uint();
        return true;
      case 7:
        expectWire(w, 1, 'start_time_unix_nano');
        out.startTimeUnixNano = r.fixed64().toString();
        return true;
      case 8:
        expectWire(w, 1, 'end_time_unix_nano');
        out.endTimeUnixNano = r.fixed64().toString();
        return true;
      case 9:
        return attributesInto(attributes, w, r);
      case 11:
        expectWire(w, 2, 'event');
        events.push(event(r.bytes()));
        return true;
      case 15: {
        expectWire(w, 2, 'status');
        const status: Obj = {};
        message(r.bytes(), (f2, w2, r2) => {
          if (f2 === 2) {
            expectWire(w2, 2, 'status message');
            status.message = utf8.decode(r2.bytes());
            return true;
          }
          if (f2 === 3) {
            expectWire(w2, 0, 'status code');
            status.code = r2.uint();
            return true;
          }
          return false;
        });
        out.status = status;
        return true;
      }
      default:
        return false;
    }
  });
  return out;
}

function scopeSpans(buf: Uint8Array): Obj {
  const spans: Obj[] = [];
  const out: Obj = { spans };
  message(buf, (f, w, r) => {
    if (f === 1) {
      expectWire(w, 2, 'scope');
      const scope: Obj = {};
      message(r.bytes(), (f2, w2, r2) => {
        if (f2 === 1) {
          expectWire(w2, 2, 'scope name');
          scope.name = utf8.decode(r2.bytes());
          return true;
        }
        if (f2 === 2) {
          expectWire(w2, 2, 'scope version');
          scope.version = utf8.decode(r2.bytes());
          return true;
        }
        return false;
      });
      out.scope = scope;
      return true;
    }
    if (f === 2) {
      expectWire(w, 2, 'span');
      spans.push(span(r.bytes()));
      return true;
    }
    return false;
  });
  return out;
}

function resourceSpans(buf: Uint8Array): Obj {
  const scopes: Obj[] = [];
  const out: Obj = { scopeSpans: scopes };
  message(buf, (f, w, r) => {
    if (f === 1) {
      expectWire(w, 2, 'resource');
      const attributes: Obj[] = [];
      message(r.bytes(), (f2, w2, r2) => (f2 === 1 ? attributesInto(attributes, w2, r2) : false));
      out.resource = { attributes };
      return true;
    }
    // 1000 is the deprecated instrumentation_library_spans, same layout as scope_spans.
    if (f === 2 || f === 1000) {
      expectWire(w, 2, 'scope_spans');
      scopes.push(scopeSpans(r.bytes()));
      return true;
    }
    return false;
  });
  return out;
}

/** Decodes an ExportTraceServiceRequest into OTLP/JSON's shape; throws ProtobufError when malformed. */
export function decodeOtlpTraceRequest(body: Uint8Array): { resourceSpans: Obj[] } {
  const resource: Obj[] = [];
  message(body, (f, w, r) => {
    if (f === 1) {
      expectWire(w, 2, 'resource_spans');
      resource.push(resourceSpans(r.bytes()));
      return true;
    }
    return false;
  });
  return { resourceSpans: resource };
}
