// The statistics engine behind lenses, hovers and `trace-lens stats`: per operation (service, name),
// percentiles, errors and self time over a window and the previous one, fed as traces arrive.
export {
  OperationStats,
  defaultExactLimit,
  defaultMinSamples,
  type OperationStatsOptions,
  type QueryOptions,
  type OperationKey,
  type ChunkedAdd,
  type StatsFootprint,
} from './operationStats';
export type {
  OperationSummary,
  Comparison,
  Regression,
  TraceRef,
  FailingRef,
  ExceptionCount,
  Histogram,
} from './summary';
export { windowSeconds, windowNames, tiers, type WindowName, type TimeWindow } from './windows';
export { nearestRank, rankOf, quantileRankInterval } from './percentiles';
export { regressionRule } from './regression';
export { sketchAlpha } from './logSketch';
export type { SliceReport } from './slices';
export { selfTimeMs } from '../../model/selfTime';
export { unknownService, forEachSample, type Relabel, type SampleSource, type SpanSample } from './spanSamples';
