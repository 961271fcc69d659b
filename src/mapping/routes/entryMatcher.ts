// Which declared entry point a segment served: the HTTP route its URL matches (the most specific
// one of its service), or the Lambda function it is an invocation of. The operation names it gives
// are the ones the lenses above routes and handlers look up.
import type { Span } from '../../model/trace';
import { matchRoute } from './match';
import type { Route } from './route';
import { matchLambda, type LambdaFunction } from './templates';

/** What a workspace declares as entry points. */
export interface EntryPointDeclarations {
  readonly routes: readonly Route[];
  readonly functions: readonly LambdaFunction[];
}

/** The operation a route's requests are counted under. */
export function routeOperation(route: Route): string {
  return `${route.method} ${route.pattern}`;
}

/** The operation a Lambda function's invocations are counted under. */
export function invocationOperation(fn: LambdaFunction): string {
  return `λ ${fn.id}`;
}

/** The operation a Lambda function's cold starts (its `Initialization` subsegments) are counted under. */
export function coldStartOperation(fn: LambdaFunction): string {
  return `λ ${fn.id} · cold start`;
}

const functionOrigin = 'AWS::Lambda::Function';
const serviceOrigin = 'AWS::Lambda';

/**
 * The matcher of a workspace's declarations (see analysis/entryPoints): a Lambda function is
 * counted on its AWS::Lambda::Function segment, or on the AWS::Lambda service segment when the
 * trace has no function segment for it; its `Initialization` subsegment is a cold start. Any
 * other segment with an HTTP request counts under the route it hit.
 */
export function entryMatcher(declared: EntryPointDeclarations) {
  const lambdaOf = (segment: Span): LambdaFunction | undefined =>
    declared.functions.length && segment.origin?.startsWith(serviceOrigin)
      ? matchLambda(declared.functions, segment.name)
      : undefined;
  return {
    request(segment: Span, withFunctionSegment: ReadonlySet<string>): string | undefined {
      const fn = lambdaOf(segment);
      if (fn) {
        if (
          segment.origin === functionOrigin ||
          (segment.origin === serviceOrigin && !withFunctionSegment.has(segment.name))
        )
          return invocationOperation(fn);
        return undefined;
      }
      const url = segment.http?.request?.url;
      if (url === undefined || declared.routes.length === 0) return undefined;
      const route = matchRoute(declared.routes, segment.http?.request?.method, url, { service: segment.name });
      return route ? routeOperation(route) : undefined;
    },
    coldStart(segment: Span): string | undefined {
      if (segment.origin !== functionOrigin) return undefined;
      const fn = lambdaOf(segment);
      return fn ? coldStartOperation(fn) : undefined;
    },
  };
}
