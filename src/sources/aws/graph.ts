// The service graph and the time series of service statistics for a window, every page of them.
import {
  GetServiceGraphCommand,
  GetTimeSeriesServiceStatisticsCommand,
  type Service,
  type TimeSeriesServiceStatistics,
  type XRayClient,
} from '@aws-sdk/client-xray';

/** A window, and optionally an X-Ray group. */
export interface GraphWindow {
  readonly start: Date;
  readonly end: Date;
  readonly groupName?: string;
  readonly signal?: AbortSignal;
}

/** The services (nodes, with their edges and statistics) X-Ray saw in the window, all pages merged. */
export async function serviceGraph(
  client: XRayClient,
  w: GraphWindow,
): Promise<{ services: Service[]; containsOldGroupVersions: boolean; calls: number }> {
  const services: Service[] = [];
  let old = false;
  let calls = 0;
  let next: string | undefined;
  do {
    const r = await client.send(
      new GetServiceGraphCommand({ StartTime: w.start, EndTime: w.end, GroupName: w.groupName, NextToken: next }),
      { abortSignal: w.signal },
    );
    calls++;
    services.push(...(r.Services ?? []));
    old ||= r.ContainsOldGroupVersions ?? false;
    next = r.NextToken || undefined;
  } while (next);
  return { services, containsOldGroupVersions: old, calls };
}

/** Statistics options: the period in seconds (a multiple of 60), and which entity (`service("api")`). */
export interface StatisticsWindow extends GraphWindow {
  readonly periodSec?: number;
  readonly entitySelector?: string;
}

/** Aggregated statistics per period for the window, all pages, oldest first. */
export async function serviceStatistics(
  client: XRayClient,
  w: StatisticsWindow,
): Promise<{ points: TimeSeriesServiceStatistics[]; containsOldGroupVersions: boolean; calls: number }> {
  const points: TimeSeriesServiceStatistics[] = [];
  let old = false;
  let calls = 0;
  let next: string | undefined;
  do {
    const r = await client.send(
      new GetTimeSeriesServiceStatisticsCommand({
        StartTime: w.start,
        EndTime: w.end,
        GroupName: w.groupName,
        EntitySelectorExpression: w.entitySelector,
        Period: w.periodSec,
        NextToken: next,
      }),
      { abortSignal: w.signal },
    );
    calls++;
    points.push(...(r.TimeSeriesServiceStatistics ?? []));
    old ||= r.ContainsOldGroupVersions ?? false;
    next = r.NextToken || undefined;
  } while (next);
  points.sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
  return { points, containsOldGroupVersions: old, calls };
}
