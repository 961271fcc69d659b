// Helpers for tests on small inline sources: one line per array element, so line numbers in the
// assertions are the element's position plus one.
import { InstrumentationIndex, type InstrumentationSite } from '../../../../src/mapping/instrumentation';

/** Source text from lines. */
export const lines = (...ls: string[]): string => ls.join('\n');

/** The sites of one file indexed on its own. */
export function sitesOf(path: string, text: string): InstrumentationSite[] {
  const index = new InstrumentationIndex();
  index.update(path, text);
  return index.sitesIn(path);
}

/** A site in one line of text, for compact deepEqual: `3:18 loadCart xray.captureAsyncFunc fn=loadCart 3-7`. */
export function brief(s: InstrumentationSite): string {
  const range = s.functionRange ? ` ${s.functionRange.startLine}-${s.functionRange.endLine}` : '';
  return `${s.line}:${s.column} ${s.name ?? `/${s.pattern}/`} ${s.api}${s.functionName ? ` fn=${s.functionName}` : ''}${range}`;
}

/** brief() of every site of a file indexed on its own. */
export const briefs = (path: string, text: string): string[] => sitesOf(path, text).map(brief);
