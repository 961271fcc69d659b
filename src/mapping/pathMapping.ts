// Stack frames from deployed code to workspace files: Lambda's /var/task, Beanstalk's
// /var/app/current, container and other machines' absolute paths (longest suffix that exists in
// the workspace), Python's bare basenames and Java's class-file names (the label's package picks
// among same-named files).
import { readFileSync } from 'node:fs';
import type { StackFrame } from '../model/trace';
import type { Resolution } from './location';
import type { WorkspaceFiles } from './workspaceFiles';

/** Deployment roots whose prefix says nothing about the workspace layout. */
const deployedRoots = [
  /^\/var\/task\//,
  /^\/var\/app\/current\//,
  /^\/var\/runtime\//,
  /^\/opt\/nodejs\//,
  /^\/usr\/src\/app\//,
  /^\/opt\/app\//,
  /^\/app\//,
  /^\/srv\/app\//,
  /^\/workspace\//,
  /^\/code\//,
];

/** Frames of the runtime, not of any file. */
function runtimeFrame(path: string): string | undefined {
  if (path === 'node' || path === 'native' || path === '<anonymous>' || path === 'anonymous')
    return 'a runtime frame (no file)';
  if (path.startsWith('node:') || path.startsWith('internal/')) return `a Node.js runtime frame (${path})`;
  return undefined;
}

/** Frames of dependencies: not the project's code, even if a same-named file exists. */
function dependencyFrame(segments: readonly string[]): string | undefined {
  const dep = segments.find(
    (s, i) =>
      s === 'node_modules' ||
      s === 'site-packages' ||
      s === 'dist-packages' ||
      s === '.m2' ||
      (s === 'mod' && segments[i - 1] === 'pkg'),
  );
  return dep ? `a dependency frame (${dep === 'mod' ? 'Go module cache' : dep})` : undefined;
}

/** A path's parts, with deployment roots (/var/task, /var/app/current, …) and drive letters dropped. */
export function segmentsOf(path: string): string[] {
  let p = path.replace(/\\/g, '/');
  if (p.startsWith('file://')) p = decodeURIComponent(p.slice(7));
  p = p.replace(/^[a-zA-Z]:\//, '/');
  for (const root of deployedRoots) p = p.replace(root, '');
  return p.split('/').filter((s) => s !== '' && s !== '.');
}

/** For a Java frame: the package path of the label's class, to choose among same-named files. */
function javaSegments(path: string, label: string | undefined): string[] | undefined {
  if (!label || !/\.(java|kt|scala|groovy)$/.test(path) || path.includes('/')) return undefined;
  const parts = label.split('.');
  if (parts.length < 3) return undefined;
  // com.example.orders.OrderService$Inner.checkout → com/example/orders/OrderService.java
  const pkg = parts.slice(0, -2);
  return [...pkg, path];
}

/** The function name a frame label names: `async checkout`, `Object.reserve`, `OrderService.checkout`. */
export function labelFunction(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const name = label
    .replace(/^(async|new)\s+/, '')
    .replace(/\s*\[as [^\]]+\]$/, '')
    .split('.')
    .pop()!;
  // A bare `async` is how the Node SDK labels an anonymous async function.
  return /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'anonymous' && name !== 'async' ? name : undefined;
}

function defines(file: string, fn: string): boolean {
  try {
    const text = readFileSync(file, 'utf8');
    return new RegExp(
      `(def|function|func|fun|class)\\s+${fn}\\b|\\b${fn}\\s*[:=]\\s*(async\\s+)?(function|\\()|\\b${fn}\\s*\\([^)]*\\)\\s*[{:]`,
    ).test(text);
  } catch {
    return false;
  }
}

/**
 * Why a frame cannot lead to the project's code, whatever the workspace holds: no path, a runtime
 * frame (`node:internal/…`), no line, a dependency's file. Such frames are shown as unresolvable,
 * not dropped and not offered as links.
 */
export function frameWontResolve(frame: StackFrame): string | undefined {
  const path = frame.path;
  if (!path) return 'the frame has no path';
  const runtime = runtimeFrame(path);
  if (runtime) return runtime;
  if (frame.line === undefined) return `the SDK recorded no line for ${path}`;
  return dependencyFrame(segmentsOf(path));
}

/** Maps one frame's path and line to a workspace file (no source maps here: see sourceMaps.ts). */
export function mapFramePath(frame: StackFrame, files: WorkspaceFiles): Resolution {
  const wont = frameWontResolve(frame);
  if (wont) return { unresolved: wont };
  const path = frame.path!;
  const line = frame.line!;
  const segments = segmentsOf(path);

  // The same absolute path on this machine: exact.
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('file://')) {
    const direct = files.confine(path);
    if ('path' in direct)
      return { path: direct.path, line, via: 'stack-frame', precision: 'line', detail: `${path} (same path)` };
  }
  const wanted = javaSegments(path, frame.label) ?? segments;
  const matches = files.bySuffix(wanted);
  if (matches.length === 0) return { unresolved: `no workspace file matches ${path}` };
  const best = matches[0]!.matched;
  let top = matches.filter((m) => m.matched === best);
  if (top.length > 1) {
    // Several files share the longest suffix: the one that defines the frame's function wins.
    const fn = labelFunction(frame.label);
    const defining = fn ? top.filter((m) => defines(m.path, fn)) : [];
    if (defining.length >= 1) top = defining;
  }
  if (top.length > 1)
    return {
      unresolved: `${path} matches ${top.length} workspace files equally (${top
        .slice(0, 3)
        .map((m) => files.relative(m.path))
        .join(', ')}${top.length > 3 ? ', …' : ''})`,
    };
  // A single shared basename from a deep path is weak evidence: accept it only when it is unique.
  if (best === 1 && wanted.length > 1 && matches.length > 1)
    return { unresolved: `${path}: only the file name matches, and ${matches.length} workspace files have it` };
  const how =
    best === wanted.length
      ? wanted.length === 1
        ? 'file name'
        : 'path suffix'
      : `last ${best} of ${wanted.length} path parts`;
  return {
    path: top[0]!.path,
    line,
    via: 'stack-frame',
    precision: 'line',
    detail: `${path} → ${files.relative(top[0]!.path)} (${how})`,
  };
}
