// The trace model, in X-Ray's words. OTel spans are converted into the same shapes (as the ADOT
// X-Ray exporter does), keeping their span kind and original attributes. Times are epoch seconds
// (floating point), as X-Ray records them; durations elsewhere are milliseconds.

/** An annotation value: X-Ray indexes strings, numbers and booleans. */
export type AnnotationValue = string | number | boolean;

/** One stack frame of an exception, as recorded (lines may be missing). */
export interface StackFrame {
  readonly path?: string;
  readonly line?: number;
  readonly label?: string;
}

/** An exception recorded in a cause. */
export interface ExceptionInfo {
  readonly id?: string;
  readonly message?: string;
  readonly type?: string;
  readonly remote?: boolean;
  readonly truncated?: number;
  readonly skipped?: number;
  /** The id of the exception that caused this one. */
  readonly cause?: string;
  readonly stack: readonly StackFrame[];
}

/** Why a segment failed: exceptions, or a pointer to the exception recorded in another (sub)segment. */
export interface Cause {
  readonly workingDirectory?: string;
  readonly paths?: readonly string[];
  readonly exceptions: readonly ExceptionInfo[];
  /** Where the exception is recorded instead: an exception id (a string cause), or the id of the (sub)segment holding it (Node writes `{"id": X}` on enclosing spans). */
  readonly exceptionId?: string;
}

/** The http block of a segment or subsegment. */
export interface HttpInfo {
  readonly request?: {
    readonly method?: string;
    readonly url?: string;
    readonly userAgent?: string;
    readonly clientIp?: string;
    readonly xForwardedFor?: boolean;
    readonly traced?: boolean;
  };
  readonly response?: { readonly status?: number; readonly contentLength?: number };
}

/** Where a (sub)segment's data came from and what a parser had to repair or noticed. */
export type Flag = 'in-progress' | 'orphan' | 'skew' | 'repaired';

/** A segment or subsegment: one timed unit of work. */
export interface Span {
  readonly id: string;
  readonly traceId: string;
  readonly name: string;
  /** `segment` for a document of a service, `subsegment` for work inside one. */
  readonly type: 'segment' | 'subsegment';
  /** The parent's id (a segment's upstream caller, or the enclosing (sub)segment). */
  readonly parentId?: string;
  readonly startTime: number;
  /** Missing while in progress. */
  readonly endTime?: number;
  readonly inProgress: boolean;
  readonly error: boolean;
  readonly fault: boolean;
  readonly throttle: boolean;
  /** `aws`, `remote`, or another value the SDK wrote. */
  readonly namespace?: string;
  /** The resource type of a segment, such as `AWS::Lambda::Function` or `AWS::EC2::Instance`. */
  readonly origin?: string;
  readonly user?: string;
  readonly resourceArn?: string;
  readonly http?: HttpInfo;
  readonly aws?: Readonly<Record<string, unknown>>;
  readonly sql?: Readonly<Record<string, unknown>>;
  readonly service?: Readonly<Record<string, unknown>>;
  readonly annotations: Readonly<Record<string, AnnotationValue>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly cause?: Cause;
  readonly precursorIds?: readonly string[];
  /** The OTel span's own name where the X-Ray name differs (a server span's segment is named after its service). */
  readonly otelName?: string;
  /** OTel span kind (SERVER, CLIENT, …) when the span came from OpenTelemetry. */
  readonly spanKind?: string;
  /** OTel attributes, as sent, when the span came from OpenTelemetry. */
  readonly attributes?: Readonly<Record<string, unknown>>;
  /** Children in start order. */
  readonly subsegments: Span[];
  /** What the parser repaired or the assembly noticed. */
  readonly flags: Flag[];
}

/** A whole trace: its segments as trees, in start order, with what could not be attached. */
export interface Trace {
  readonly id: string;
  /** Top-level segments (service documents whose parent is outside the trace, or none). */
  readonly segments: Span[];
  /** Spans whose parent id names nothing in the trace; kept and flagged, never dropped. */
  readonly orphans: Span[];
  /** The earliest start and latest end over every span (end missing while all are in progress). */
  readonly startTime: number;
  readonly endTime?: number;
  /** The first segment whose parent is outside the trace: where the request entered. */
  readonly root?: Span;
  /** X-Ray's Duration: from the root segment's start to the end of the last segment that ended, in ms. */
  readonly durationMs?: number;
  /** X-Ray's ResponseTime: the root segment's end minus its start, in ms. */
  readonly responseTimeMs?: number;
  /** True when any document is still in progress. */
  readonly inProgress: boolean;
}
