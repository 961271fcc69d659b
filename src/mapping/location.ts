// What mapping produces: a workspace file and line, and how it was found, so the UI can say it.

/** How a location was found, strongest first. */
export type Via = 'code-attributes' | 'stack-frame' | 'source-map' | 'instrumentation' | 'symbol';

/** A place in the workspace. */
export interface SourceLocation {
  /** Absolute path of a file inside a workspace folder. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, when known. */
  readonly column?: number;
  readonly via: Via;
  /** `line` when the line is exact, `function` when only the function is (a minified bundle), `file` when only the file is. */
  readonly precision: 'line' | 'function' | 'file';
  /** How it was found, in words: `/var/task/handler.js → src/handler.js (suffix)`. */
  readonly detail?: string;
}

/** Why something could not be located, in words for the user. */
export interface Unresolved {
  readonly unresolved: string;
}

/** A location or the reason there is none. */
export type Resolution = SourceLocation | Unresolved;

/** True when r is a location. */
export const isLocation = (r: Resolution | undefined): r is SourceLocation => r !== undefined && 'path' in r;
