// Handlers and routes: Lambda handlers and HTTP routes declared in a workspace, matched to the
// segments that served them, and the services the workspace is.
export type { Route, RouteFramework, RoutePlace } from './route';
export { findRoutes } from './fileRoutes';
export { findJsRoutes } from './jsRoutes';
export { findPythonRoutes } from './pythonRoutes';
export { findJavaRoutes } from './javaRoutes';
export { matchRoute, matchRoutes, urlPath, type MatchOptions, type RouteMatch } from './match';
export { compilePattern, type CompiledPattern } from './pattern';
export {
  readTemplate,
  templateKind,
  templateRoutes,
  handlerFunctionName,
  lambdaNameMatches,
  matchLambda,
  type ApiDeclaration,
  type ApiEvent,
  type HandlerPlace,
  type LambdaFunction,
  type Template,
} from './templates';
export { resolveHandler, WorkspacePaths, type HandlerLocation } from './handlers';
export { findJsExport, findMethod, findPythonFunction, type FoundFunction } from './functions';
export { detectServices, type DetectedService } from './services';
export {
  collectRoutes,
  scanWorkspaceRoutes,
  type ScanWorkspaceOptions,
  type WorkspaceFunction,
  type WorkspaceRoutes,
  type WorkspaceText,
} from './workspace';
export { parseYaml, type YamlNode } from './yaml';
export {
  entryMatcher,
  routeOperation,
  invocationOperation,
  coldStartOperation,
  type EntryPointDeclarations,
} from './entryMatcher';
