// Which language a workspace file is, from its name alone: the scan runs on thousands of files and
// never looks inside one to decide.

/** A language the instrumentation index scans. */
export type Language = 'javascript' | 'typescript' | 'python' | 'java' | 'go' | 'csharp';

/** Languages that share syntax and call each other's code: JavaScript and TypeScript are one. */
export type Family = 'js' | 'python' | 'java' | 'go' | 'csharp';

const byExtension: Readonly<Record<string, Language>> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescript',
  py: 'python',
  java: 'java',
  go: 'go',
  cs: 'csharp',
};

/** The language of a file by its extension, or undefined when the index does not scan it. */
export function languageOf(path: string): Language | undefined {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return undefined; // no extension, or a dotfile such as `.ts`
  return byExtension[path.slice(dot + 1).toLowerCase()];
}

/** The family a language belongs to. */
export function familyOf(language: Language): Family {
  return language === 'javascript' || language === 'typescript' ? 'js' : language;
}
