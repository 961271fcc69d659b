// What the map view and its layout worker exchange: sizes in, positions out. Nodes and edges are
// referred to by their index, so the messages stay small for a thousand nodes.

/** One node to place: the circle's box, and the text block under it that needs room too. */
export interface LayoutNodeIn {
  readonly size: number;
  readonly labelWidth: number;
  readonly labelHeight: number;
}

/** One edge to route, with room for its label. */
export interface LayoutEdgeIn {
  readonly from: number;
  readonly to: number;
  readonly labelWidth: number;
  readonly labelHeight: number;
}

/** A layout job; `id` pairs the answer with its job (a newer job supersedes older ones). */
export interface LayoutRequest {
  readonly id: number;
  readonly nodes: readonly LayoutNodeIn[];
  readonly edges: readonly LayoutEdgeIn[];
}

/** An edge's route: a cubic Bézier path (start, then control, control, end per piece) or a polyline. */
export interface EdgeRoute {
  readonly points: readonly number[];
  readonly curve: boolean;
  /** Top-left of the label box. */
  readonly labelX: number;
  readonly labelY: number;
}

/** The worker's answer: top-left corners of the nodes' circles, edge routes, the drawing's size. */
export interface LayoutResult {
  readonly id: number;
  readonly nodes: readonly { readonly x: number; readonly y: number }[];
  readonly edges: readonly EdgeRoute[];
  readonly width: number;
  readonly height: number;
  /** Time elk took inside the worker. */
  readonly elkMs: number;
  readonly error?: string;
}
