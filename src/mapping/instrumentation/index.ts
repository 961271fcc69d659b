// The instrumentation index: where the workspace's source names its spans and subsegments.
export { languageOf, type Language } from './language';
export type { InstrumentationSite } from './sites';
export { InstrumentationIndex } from './instrumentationIndex';
export { indexWorkspace, excludedFolders, type IndexWorkspaceOptions, type IndexWorkspaceResult } from './workspace';
