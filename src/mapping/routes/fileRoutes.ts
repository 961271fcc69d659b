// The routes one file declares, whatever it is: code (JS/TS, Python, Java) or a template.
import { findJavaRoutes } from './javaRoutes';
import { findJsRoutes } from './jsRoutes';
import { findPythonRoutes } from './pythonRoutes';
import type { Route } from './route';
import { readTemplate, templateRoutes } from './templates';

/** The routes a file declares, with the prefixes known inside it; template routes sit at their events until handlers are resolved (see collectRoutes). */
export function findRoutes(path: string, text: string): Route[] {
  const template = readTemplate(path, text);
  if (template) return templateRoutes(template);
  if (/\.(?:[cm]?[jt]sx?)$/i.test(path) && !/\.d\.[cm]?ts$/i.test(path)) return findJsRoutes(path, text);
  if (/\.py$/i.test(path)) return findPythonRoutes(path, text);
  if (/\.java$/i.test(path)) return findJavaRoutes(path, text);
  return [];
}
