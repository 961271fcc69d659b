// What a route is: a method and a path pattern declared somewhere in the workspace, and the handler
// that serves it, so a segment's `http.request` can be traced back to code.

/** The framework or file that declared a route; it decides the pattern syntax and case rules. */
export type RouteFramework =
  | 'express'
  | 'koa'
  | 'fastify'
  | 'hapi'
  | 'hono'
  | 'nestjs'
  | 'flask'
  | 'fastapi'
  | 'spring'
  | 'jaxrs'
  | 'apigateway'
  | 'serverless'
  /** `span.updateName('GET /x')` or `setAttribute('http.route', '/x')` in a hand-written router. */
  | 'otel';

/** A place in a workspace file. */
export interface RoutePlace {
  /** The file, as the caller named it. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
}

/** An HTTP route declared statically, in code or in a template. */
export interface Route {
  /** Upper-case HTTP method, or `ANY`. */
  readonly method: string;
  /** The path pattern as the framework writes it, with the prefixes of routers, blueprints and controllers joined: `/orders/:id`, `/orders/{id}`, `/items/<int:id>`. */
  readonly pattern: string;
  readonly framework: RouteFramework;
  /** The file of the handler, or of the declaration when the handler was not located. */
  readonly path: string;
  /** 1-based line of the handler function, or of the declaration when the handler was not located. */
  readonly line: number;
  /** The handler function's name, when it has one. */
  readonly handler?: string;
  /** Where the route is declared: the `app.get(…)` call, the decorator or annotation, the template event. */
  readonly declared: RoutePlace;
  /** For a template's API route: the Lambda function behind it (logical id, or key under `functions:` in serverless.yml). */
  readonly lambda?: string;
  /** API Gateway REST APIs put the stage first in the URL (`/Prod/orders/1`): the stage names it may have, or `any` when they are not literal. */
  readonly stages?: readonly string[] | 'any';
  /** The object the route is declared on in code (`app`, `router`, `bp`). */
  readonly router?: string;
  /** The service (segment name) the code around the route runs as, when the workspace says it. */
  readonly service?: string;
}
