// Links into Trace Lens: vscode://trace-lens.trace-lens/trace?id=…&region=…&profile=…. The link is
// untrusted input: the id, region and profile are checked before anything acts on them.
import * as vscode from 'vscode';
import { toXRayTraceId } from '../sources/aws/traceIds';

/** What a link may do. */
export interface TraceLinkActions {
  /** Reads from AWS with this profile (or the chosen one) in this region, switching the source if needed and the user agrees; false when not. */
  useAws(profile: string | undefined, region: string): Promise<boolean>;
  /** Resolves when the active source is open. */
  ready(): Promise<void>;
  openTrace(traceId: string): unknown;
}

/** The handler VS Code calls for the extension's links. */
export function traceLinkHandler(actions: TraceLinkActions): vscode.UriHandler {
  return {
    handleUri: async (uri) => {
      const params = new URLSearchParams(uri.query);
      const id = toXRayTraceId(params.get('id') ?? '');
      if (uri.path.replace(/\/+$/, '') !== '/trace' || !id) {
        void vscode.window.showErrorMessage(
          `Trace Lens: this link does not name a trace (${uri.path}?${uri.query.slice(0, 100)}).`,
        );
        return;
      }
      const region = params.get('region') ?? undefined;
      const profile = params.get('profile') ?? undefined;
      if (region && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
        void vscode.window.showErrorMessage(`Trace Lens: '${region.slice(0, 40)}' is not an AWS region.`);
        return;
      }
      if (profile && !/^[\w.@+=,-]{1,128}$/.test(profile)) {
        void vscode.window.showErrorMessage('Trace Lens: the link names a profile Trace Lens cannot use.');
        return;
      }
      if (region && !(await actions.useAws(profile, region))) return;
      // A source switch starts on the next turn (the settings event): wait for it, then for it to open.
      await new Promise((r) => setTimeout(r, 0));
      await actions.ready();
      actions.openTrace(id);
    },
  };
}
