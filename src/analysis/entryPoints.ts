// The requests a workspace's entry points served, counted by the same OperationStats as spans but
// under operation names of their own, so the lenses above routes and Lambda handlers get the same
// windows, percentiles, regression marks and trace links. Which segment served which entry point
// is the matcher's business (mapping/routes/entryMatcher): analysis depends only on the model.
import type { Span, Trace } from '../model/trace';
import { forEachSample, type SampleSource } from './stats';

/** Decides the entry-point operation of a segment, and of a Lambda function segment's cold start. */
export interface EntryMatcher {
  /** The operation a segment's request counts under, or undefined. `withFunctionSegment`: names of the trace's AWS::Lambda::Function segments. */
  request(segment: Span, withFunctionSegment: ReadonlySet<string>): string | undefined;
  /** The operation the segment's `Initialization` subsegment counts under (a cold start), or undefined. */
  coldStart(segment: Span): string | undefined;
}

/** The samples of a trace's entry points: segments the matcher names, and their cold starts; the service is the segment's name. */
export function entrySamples(matcher: EntryMatcher): SampleSource {
  return (trace: Trace, visit) => {
    const functionSegments = new Set<string>();
    for (const seg of trace.segments) if (seg.origin === 'AWS::Lambda::Function') functionSegments.add(seg.name);
    const cold = new Map<Span, string | undefined>();
    forEachSample(trace, visit, (span, segment) => {
      if (!segment) return undefined;
      if (span === segment) {
        const name = matcher.request(segment, functionSegments);
        return name === undefined ? undefined : { service: segment.name, name };
      }
      if (span.name !== 'Initialization') return undefined;
      if (!cold.has(segment)) cold.set(segment, matcher.coldStart(segment));
      const name = cold.get(segment);
      return name === undefined ? undefined : { service: segment.name, name };
    });
  };
}
