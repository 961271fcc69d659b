// The tracing SDK calls that name a span or subsegment, per language family, and where in each
// call the name is. Matching is by method name; a receiver is required only where the method name
// alone is too common to mean tracing (Python's `capture`).
import type { Family } from './language';

/** One SDK call that names a span. */
export interface ApiSpec {
  readonly family: Family;
  /** The method (or function, decorator, annotation) name. */
  readonly callee: string;
  /** The text before the method's dot must match; undefined accepts any receiver or none. */
  readonly receiver?: RegExp;
  /** Position of the name argument. */
  readonly nameArg: number;
  /** Keyword or named-argument names that also carry the name (`name=` in Python). */
  readonly nameKeywords?: readonly string[];
  /** Position of the function the span times, when the call takes one. */
  readonly fnArg?: number | 'last';
  /** The name when the call gives none: the decorated function's, `Class.method`, or the enclosing method's. */
  readonly defaultName?: 'function' | 'qualified' | 'enclosing';
  /** Arguments before the name that must not be strings (Go's `ctx`), so `Start("x")` on anything is no match. */
  readonly contextFirst?: boolean;
  /** How sites found through it are labelled. */
  readonly api: string;
}

const xrayRecorder = /(?:^|\.)\w*(?:recorder|xray)\w*$/i;

const specs: readonly ApiSpec[] = [
  // aws-xray-sdk-core (Node.js).
  { family: 'js', callee: 'captureAsyncFunc', nameArg: 0, fnArg: 1, api: 'xray.captureAsyncFunc' },
  { family: 'js', callee: 'captureFunc', nameArg: 0, fnArg: 1, api: 'xray.captureFunc' },
  { family: 'js', callee: 'captureCallbackFunc', nameArg: 0, fnArg: 1, api: 'xray.captureCallbackFunc' },
  { family: 'js', callee: 'addNewSubsegment', nameArg: 0, api: 'xray.addNewSubsegment' },
  { family: 'js', callee: 'addNewSubsegmentWithoutSampling', nameArg: 0, api: 'xray.addNewSubsegment' },
  // aws-xray-sdk-express / -restify: the segment's default name.
  { family: 'js', callee: 'openSegment', nameArg: 0, api: 'xray.openSegment' },
  // OpenTelemetry JS.
  { family: 'js', callee: 'startActiveSpan', nameArg: 0, fnArg: 'last', api: 'otel.startActiveSpan' },
  { family: 'js', callee: 'startSpan', nameArg: 0, api: 'otel.startSpan' },
  { family: 'js', callee: 'updateName', nameArg: 0, api: 'otel.updateName' },

  // aws-xray-sdk (Python): decorators without a name use the function's __name__.
  {
    family: 'python',
    callee: 'capture',
    receiver: xrayRecorder,
    nameArg: 0,
    nameKeywords: ['name'],
    defaultName: 'function',
    api: 'xray.capture',
  },
  {
    family: 'python',
    callee: 'capture_async',
    receiver: xrayRecorder,
    nameArg: 0,
    nameKeywords: ['name'],
    defaultName: 'function',
    api: 'xray.capture_async',
  },
  {
    family: 'python',
    callee: 'in_subsegment',
    nameArg: 0,
    nameKeywords: ['name'],
    defaultName: 'function',
    api: 'xray.in_subsegment',
  },
  {
    family: 'python',
    callee: 'in_subsegment_async',
    nameArg: 0,
    nameKeywords: ['name'],
    defaultName: 'function',
    api: 'xray.in_subsegment',
  },
  {
    family: 'python',
    callee: 'in_segment',
    nameArg: 0,
    nameKeywords: ['name'],
    defaultName: 'function',
    api: 'xray.in_segment',
  },
  {
    family: 'python',
    callee: 'in_segment_async',
    nameArg: 0,
    nameKeywords: ['name'],
    defaultName: 'function',
    api: 'xray.in_segment',
  },
  {
    family: 'python',
    callee: 'begin_subsegment',
    receiver: xrayRecorder,
    nameArg: 0,
    nameKeywords: ['name'],
    api: 'xray.begin_subsegment',
  },
  {
    family: 'python',
    callee: 'begin_segment',
    receiver: xrayRecorder,
    nameArg: 0,
    nameKeywords: ['name'],
    api: 'xray.begin_segment',
  },
  // OpenTelemetry Python.
  {
    family: 'python',
    callee: 'start_as_current_span',
    nameArg: 0,
    nameKeywords: ['name'],
    api: 'otel.start_as_current_span',
  },
  { family: 'python', callee: 'start_span', nameArg: 0, nameKeywords: ['name'], api: 'otel.start_span' },
  { family: 'python', callee: 'update_name', nameArg: 0, nameKeywords: ['name'], api: 'otel.update_name' },

  // aws-xray-recorder-sdk (Java).
  { family: 'java', callee: 'beginSubsegment', nameArg: 0, api: 'xray.beginSubsegment' },
  { family: 'java', callee: 'beginSubsegmentWithoutSampling', nameArg: 0, api: 'xray.beginSubsegment' },
  { family: 'java', callee: 'createSubsegment', nameArg: 0, fnArg: 1, api: 'xray.createSubsegment' },
  { family: 'java', callee: 'beginSegment', nameArg: 0, api: 'xray.beginSegment' },
  { family: 'java', callee: 'createSegment', nameArg: 0, fnArg: 1, api: 'xray.createSegment' },
  // The Spring interceptor names a subsegment after the bare method (`pjp.getSignature().getName()`).
  { family: 'java', callee: 'XRayEnabled', nameArg: -1, defaultName: 'function', api: 'xray.XRayEnabled' },
  { family: 'java', callee: 'XRayTraced', nameArg: -1, defaultName: 'function', api: 'xray.XRayTraced' },
  // OpenTelemetry Java: the agent names an unnamed @WithSpan `SimpleClassName.method`.
  {
    family: 'java',
    callee: 'WithSpan',
    nameArg: 0,
    nameKeywords: ['value'],
    defaultName: 'qualified',
    api: 'otel.WithSpan',
  },
  { family: 'java', callee: 'spanBuilder', nameArg: 0, api: 'otel.spanBuilder' },
  { family: 'java', callee: 'updateName', nameArg: 0, api: 'otel.updateName' },

  // aws-xray-sdk-go.
  { family: 'go', callee: 'Capture', nameArg: 1, fnArg: 2, contextFirst: true, api: 'xray.Capture' },
  { family: 'go', callee: 'CaptureAsync', nameArg: 1, fnArg: 2, contextFirst: true, api: 'xray.CaptureAsync' },
  { family: 'go', callee: 'BeginSubsegment', nameArg: 1, contextFirst: true, api: 'xray.BeginSubsegment' },
  { family: 'go', callee: 'BeginSegment', nameArg: 1, contextFirst: true, api: 'xray.BeginSegment' },
  { family: 'go', callee: 'BeginSegmentWithSampling', nameArg: 1, contextFirst: true, api: 'xray.BeginSegment' },
  // OpenTelemetry Go.
  { family: 'go', callee: 'Start', nameArg: 1, contextFirst: true, api: 'otel.Start' },
  { family: 'go', callee: 'SetName', nameArg: 0, receiver: /span/i, api: 'otel.SetName' },

  // AWSXRayRecorder (.NET).
  { family: 'csharp', callee: 'BeginSubsegment', nameArg: 0, nameKeywords: ['name'], api: 'xray.BeginSubsegment' },
  { family: 'csharp', callee: 'BeginSegment', nameArg: 0, nameKeywords: ['name'], api: 'xray.BeginSegment' },
  { family: 'csharp', callee: 'TraceMethod', nameArg: 0, nameKeywords: ['name'], fnArg: 1, api: 'xray.TraceMethod' },
  {
    family: 'csharp',
    callee: 'TraceMethodAsync',
    nameArg: 0,
    nameKeywords: ['name'],
    fnArg: 1,
    api: 'xray.TraceMethodAsync',
  },
  // System.Diagnostics: StartActivity's name is [CallerMemberName], the calling method, when omitted.
  {
    family: 'csharp',
    callee: 'StartActivity',
    nameArg: 0,
    nameKeywords: ['name'],
    defaultName: 'enclosing',
    api: 'otel.StartActivity',
  },
  // The OpenTelemetry .NET shim.
  { family: 'csharp', callee: 'StartActiveSpan', nameArg: 0, nameKeywords: ['name'], api: 'otel.StartActiveSpan' },
  { family: 'csharp', callee: 'StartSpan', nameArg: 0, nameKeywords: ['name'], api: 'otel.StartSpan' },
  { family: 'csharp', callee: 'StartRootSpan', nameArg: 0, nameKeywords: ['name'], api: 'otel.StartRootSpan' },
];

// Looked up once per call in every file scanned: nested maps, no key strings to build.
const byCallee = new Map<Family, Map<string, ApiSpec[]>>();
for (const s of specs) {
  let family = byCallee.get(s.family);
  if (!family) byCallee.set(s.family, (family = new Map()));
  family.set(s.callee, [...(family.get(s.callee) ?? []), s]);
}

/** The SDK calls a method name may be, in a family; empty for ordinary methods. */
export function apisFor(family: Family, callee: string): readonly ApiSpec[] {
  return byCallee.get(family)?.get(callee) ?? [];
}

/** True when a method name is an SDK call worth keeping even without a string argument (defaults, decorators). */
export const isApiName = (family: Family, callee: string): boolean => byCallee.get(family)?.has(callee) ?? false;
