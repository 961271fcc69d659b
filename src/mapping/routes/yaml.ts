// A reader for the part of YAML that CloudFormation, SAM and Serverless Framework files are written
// in. It keeps the line of every node, because lenses and "go to" need the line of a `Handler:` or an
// event, and it reads CloudFormation's short-form tags (`!Ref X`, `!Sub '…'`, `!GetAtt A.B`, `!If
// […]`) as tagged nodes, where a general YAML library would need a schema for each of them or throw.
// JSON is YAML's flow style, so JSON templates go through the same reader and get lines as well.
//
// Read: block mappings and sequences (also `- key: v` compact ones), flow collections over several
// lines, plain, single- and double-quoted scalars, `|` and `>` block scalars, comments, tags,
// anchors, aliases and `<<` merge keys, `---` before the first document. Not read: complex `? ` keys,
// plain scalars continued on the next line (only their first line is kept), documents after the
// first. Malformed input never throws: what cannot be read is skipped line by line.

/** A string, number or boolean, as its source text (numbers and booleans are not converted). */
export interface YamlScalar {
  readonly kind: 'scalar';
  readonly value: string;
  /** 1-based line where the node starts (for a block scalar, the line of its `|` or `>`). */
  readonly line: number;
  /** The tag without its `!`: `Ref`, `Sub`, `GetAtt`; `!!str` gives `!str`. */
  readonly tag?: string;
  /** True for a quoted scalar, so `'true'` can be told from `true`. */
  readonly quoted?: boolean;
  /** For a block scalar, the line of its first content line. */
  readonly contentLine?: number;
}

/** A key and its value. */
export interface YamlEntry {
  readonly key: string;
  readonly line: number;
  readonly value: YamlNode;
}

/** A mapping, its entries in source order. */
export interface YamlMap {
  readonly kind: 'map';
  readonly entries: readonly YamlEntry[];
  readonly line: number;
  readonly tag?: string;
}

/** A sequence. */
export interface YamlSeq {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
  readonly line: number;
  readonly tag?: string;
}

/** Any node. */
export type YamlNode = YamlScalar | YamlMap | YamlSeq;

/** Reads the first document of text; undefined when it is empty. Never throws. */
export function parseYaml(text: string): YamlNode | undefined {
  return new Reader(text).document();
}

/** The value under key when node is a mapping. */
export function child(node: YamlNode | undefined, key: string): YamlNode | undefined {
  if (node?.kind !== 'map') return undefined;
  for (const e of node.entries) if (e.key === key) return e.value;
  return undefined;
}

/** The value down a path of keys. */
export function at(node: YamlNode | undefined, ...keys: string[]): YamlNode | undefined {
  let n = node;
  for (const k of keys) n = child(n, k);
  return n;
}

/** The entry for key, with the line of the key. */
export function entry(node: YamlNode | undefined, key: string): YamlEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

/** The text of an untagged scalar (a literal); undefined for tagged nodes (`!Ref X`), collections and empty values. */
export function literal(node: YamlNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || (node.tag !== undefined && node.tag !== '!str')) return undefined;
  return node.value === '' && !node.quoted ? undefined : node.value;
}

/** The entries of a mapping, or none. */
export const entriesOf = (node: YamlNode | undefined): readonly YamlEntry[] =>
  node?.kind === 'map' ? node.entries : [];

/** The items of a sequence, or none. */
export const itemsOf = (node: YamlNode | undefined): readonly YamlNode[] => (node?.kind === 'seq' ? node.items : []);

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';
const isBreak = (c: string | undefined) => c === '\n' || c === undefined;
const flowIndicator = (c: string | undefined) => c === ',' || c === '[' || c === ']' || c === '{' || c === '}';

const escapes: ReadonlyMap<string, string> = new Map(
  Object.entries({
    n: '\n',
    t: '\t',
    r: '\r',
    '0': '\0',
    b: '\b',
    f: '\f',
    v: '\v',
    e: '\x1b',
    a: '\x07',
    ' ': ' ',
    '/': '/',
    '"': '"',
    '\\': '\\',
    N: '\u0085',
    _: '\u00a0',
  }),
);

interface Props {
  tag?: string;
  anchor?: string;
}

class Reader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly anchors = new Map<string, YamlNode>();

  constructor(private readonly s: string) {
    if (s.charCodeAt(0) === 0xfeff) this.pos = this.lineStart = 1;
  }

  document(): YamlNode | undefined {
    // Directives and the document start marker.
    for (;;) {
      this.skipToContent();
      if (this.col() === 0 && this.s[this.pos] === '%') this.skipLine();
      else if (this.atMarker('---')) {
        this.pos += 3;
        this.skipBlanks();
        if (this.atLineEnd()) this.skipLine();
        else break; // `--- !Tag value` or `--- {…}`: the node follows on the same line
      } else break;
    }
    return this.node(-1, false, false);
  }

  // ---- position ---------------------------------------------------------------------------

  private col(): number {
    return this.pos - this.lineStart;
  }

  private eof(): boolean {
    return this.pos >= this.s.length;
  }

  /** A `---` or `...` at the start of a line, which ends the document. */
  private atMarker(m: '---' | '...'): boolean {
    return (
      this.col() === 0 &&
      this.s.startsWith(m, this.pos) &&
      (isBlank(this.s[this.pos + 3]) || isBreak(this.s[this.pos + 3]))
    );
  }

  private atEnd(): boolean {
    return this.eof() || this.atMarker('---') || this.atMarker('...');
  }

  private atComment(): boolean {
    return this.s[this.pos] === '#' && (this.pos === this.lineStart || isBlank(this.s[this.pos - 1]));
  }

  /** True at the end of the line, or at a comment that runs to it. */
  private atLineEnd(): boolean {
    return isBreak(this.s[this.pos]) || this.atComment();
  }

  private newline(): void {
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  private skipBlanks(): void {
    while (isBlank(this.s[this.pos])) this.pos++;
  }

  /** Past the end of the current line. */
  private skipLine(): void {
    const e = this.s.indexOf('\n', this.pos);
    if (e === -1) this.pos = this.s.length;
    else {
      this.pos = e;
      this.newline();
    }
  }

  /** To the next character that is neither white space, a line break nor part of a comment. */
  private skipToContent(): void {
    for (;;) {
      this.skipBlanks();
      if (this.atComment()) {
        const e = this.s.indexOf('\n', this.pos);
        this.pos = e === -1 ? this.s.length : e;
      }
      if (this.s[this.pos] === '\n') this.newline();
      else return;
    }
  }

  // ---- block structure --------------------------------------------------------------------

  /**
   * The node at the current position, which must be to the right of parent (a column), except
   * for a sequence under a mapping key, which YAML lets sit at the key's own column. inline: the
   * node starts on its key's line, where a nested mapping cannot start.
   */
  private node(parent: number, seqAtParent: boolean, inline: boolean): YamlNode | undefined {
    const startLine = this.line;
    if (this.atEnd() || !this.startsHere(parent, seqAtParent)) return undefined;
    const props: Props = {};
    while (this.s[this.pos] === '!' || this.s[this.pos] === '&') {
      const c = this.s[this.pos];
      const word = this.word(false);
      if (c === '!') props.tag = word.slice(1);
      else props.anchor = word.slice(1);
      this.skipBlanks();
      if (this.atLineEnd()) {
        // The node is on the next lines (`!Sub` then a sequence), or the value is empty.
        const save = [this.pos, this.line, this.lineStart] as const;
        this.skipToContent();
        if (this.atEnd() || !this.startsHere(parent, true)) {
          [this.pos, this.line, this.lineStart] = save;
          return this.keep(props, { kind: 'scalar', value: '', line: startLine });
        }
        inline = false;
      }
    }
    const line = this.line;
    const col = this.col();
    const c = this.s[this.pos];
    let n: YamlNode;
    if (c === '*') {
      const name = this.word(false).slice(1);
      n = this.anchors.get(name) ?? { kind: 'scalar', value: '', line };
    } else if (c === '-' && (isBlank(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]))) {
      n = this.blockSeq(col);
    } else if (c === '[' || c === '{') {
      n = this.flow();
    } else if (c === '|' || c === '>') {
      n = this.blockScalar(parent);
    } else {
      const key = this.scalarOrKey(inline);
      if (key.isKey) n = this.blockMap(col, { key: key.value, line });
      else n = key.node;
    }
    return this.keep(props, n);
  }

  /** True when a node may start at the current position below parent. */
  private startsHere(parent: number, seqAtParent: boolean): boolean {
    const col = this.col();
    if (col > parent) return true;
    return (
      seqAtParent &&
      col === parent &&
      this.s[this.pos] === '-' &&
      (isBlank(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]))
    );
  }

  private keep(props: Props, n: YamlNode): YamlNode {
    const tagged = props.tag !== undefined ? ({ ...n, tag: props.tag } as YamlNode) : n;
    if (props.anchor) this.anchors.set(props.anchor, tagged);
    return tagged;
  }

  /** A tag, anchor or alias: up to white space, or a flow indicator inside a flow collection. */
  private word(inFlow: boolean): string {
    const start = this.pos;
    while (
      !this.eof() &&
      !isBlank(this.s[this.pos]) &&
      !isBreak(this.s[this.pos]) &&
      !(inFlow && flowIndicator(this.s[this.pos]))
    )
      this.pos++;
    return this.s.slice(start, this.pos);
  }

  private blockMap(indent: number, first: { key: string; line: number }): YamlMap {
    const entries: YamlEntry[] = [];
    let pending: { key: string; line: number } | undefined = first;
    for (;;) {
      if (!pending) {
        const line = this.line;
        const k = this.scalarOrKey(false);
        if (!k.isKey) {
          this.skipLine(); // not `key: value`: skipped
          if (!this.nextAt(indent)) break;
          continue;
        }
        pending = { key: k.value, line };
      }
      // At the `:` after the key.
      this.pos++;
      this.skipBlanks();
      let value: YamlNode | undefined;
      if (this.atLineEnd()) {
        this.skipToContent();
        value = this.node(indent, true, false);
      } else value = this.node(indent, false, true);
      value ??= { kind: 'scalar', value: '', line: pending.line };
      if (pending.key === '<<') this.merge(entries, value);
      else entries.push({ key: pending.key, line: pending.line, value });
      pending = undefined;
      if (!this.nextAt(indent)) break;
    }
    return { kind: 'map', entries, line: first.line };
  }

  /** Moves to the next line that continues a block at indent; false when the block ended. Deeper lines that fit nowhere are skipped. */
  private nextAt(indent: number, dash = false): boolean {
    for (;;) {
      this.skipToContent();
      if (this.atEnd()) return false;
      const col = this.col();
      if (col < indent) return false;
      if (col > indent) {
        this.skipLine();
        continue;
      }
      const isDash = this.s[this.pos] === '-' && (isBlank(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]));
      return isDash === dash;
    }
  }

  private merge(entries: YamlEntry[], value: YamlNode): void {
    for (const m of value.kind === 'seq' ? value.items : [value]) {
      for (const e of entriesOf(m)) if (!entries.some((x) => x.key === e.key)) entries.push(e);
    }
  }

  private blockSeq(indent: number): YamlSeq {
    const items: YamlNode[] = [];
    const line = this.line;
    for (;;) {
      const itemLine = this.line;
      this.pos++; // the dash
      this.skipBlanks();
      let item: YamlNode | undefined;
      if (this.atLineEnd()) {
        this.skipToContent();
        item = this.node(indent, false, false);
      } else item = this.node(indent, false, false);
      items.push(item ?? { kind: 'scalar', value: '', line: itemLine });
      if (!this.nextAt(indent, true)) break;
    }
    return { kind: 'seq', items, line };
  }

  /** A scalar on the current line, or a mapping key when `:` and a space follow it (never when inline). */
  private scalarOrKey(inline: boolean): { isKey: true; value: string } | { isKey: false; node: YamlScalar } {
    const line = this.line;
    const c = this.s[this.pos];
    if (c === '"' || c === "'") {
      const value = this.quoted();
      const save = this.pos;
      this.skipBlanks();
      if (!inline && this.s[this.pos] === ':' && (isBlank(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1])))
        return { isKey: true, value };
      this.pos = save;
      this.skipBlanks();
      if (!this.atLineEnd()) this.skipRestOfLine();
      return { isKey: false, node: { kind: 'scalar', value, line, quoted: true } };
    }
    const start = this.pos;
    while (!this.eof()) {
      const ch = this.s[this.pos];
      if (ch === '\n') break;
      if (ch === '#' && isBlank(this.s[this.pos - 1])) break;
      if (ch === ':' && (isBlank(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1])) && !inline) {
        return { isKey: true, value: this.s.slice(start, this.pos).trimEnd() };
      }
      this.pos++;
    }
    return { isKey: false, node: { kind: 'scalar', value: this.s.slice(start, this.pos).trim(), line } };
  }

  /** Past the rest of the line, leaving the line break. */
  private skipRestOfLine(): void {
    const e = this.s.indexOf('\n', this.pos);
    this.pos = e === -1 ? this.s.length : e;
  }

  private blockScalar(parent: number): YamlScalar {
    const line = this.line;
    const folded = this.s[this.pos] === '>';
    this.pos++;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    let explicit = 0;
    while (!this.eof() && !isBreak(this.s[this.pos]) && !isBlank(this.s[this.pos])) {
      const c = this.s[this.pos];
      if (c === '-') chomp = 'strip';
      else if (c === '+') chomp = 'keep';
      else if (c >= '1' && c <= '9') explicit = Number(c);
      this.pos++;
    }
    this.skipRestOfLine();
    if (this.eof()) return { kind: 'scalar', value: '', line };
    this.newline();
    const lines: string[] = [];
    let indent = explicit ? Math.max(parent, 0) + explicit : -1;
    let contentLine: number | undefined;
    while (!this.eof()) {
      const e = this.s.indexOf('\n', this.pos);
      const end = e === -1 ? this.s.length : e;
      const text = this.s.slice(this.pos, end).replace(/\r$/, '');
      const lead = text.length - text.trimStart().length;
      if (text.trim() === '') lines.push('');
      else {
        if (indent < 0) indent = lead;
        if (lead < indent || lead <= parent) break;
        contentLine ??= this.line;
        lines.push(text.slice(indent));
      }
      if (e === -1) this.pos = this.s.length;
      else {
        this.pos = e;
        this.newline();
      }
    }
    // The lines after the content that were blank belong to what follows, not to the scalar.
    let trailing = 0;
    while (lines.length && lines[lines.length - 1] === '') {
      lines.pop();
      trailing++;
    }
    let value = folded ? fold(lines) : lines.join('\n');
    if (chomp === 'clip' && lines.length) value += '\n';
    else if (chomp === 'keep') value += '\n'.repeat(trailing + (lines.length ? 1 : 0));
    const node: YamlScalar = { kind: 'scalar', value, line };
    return contentLine === undefined ? node : { ...node, contentLine };
  }

  // ---- scalars ----------------------------------------------------------------------------

  /** A quoted scalar from its opening quote; may run over several lines, which fold into spaces. */
  private quoted(): string {
    const q = this.s[this.pos++];
    let out = '';
    while (!this.eof()) {
      const c = this.s[this.pos];
      if (c === q) {
        if (q === "'" && this.s[this.pos + 1] === "'") {
          out += "'";
          this.pos += 2;
          continue;
        }
        this.pos++;
        return out;
      }
      if (c === '\\' && q === '"') {
        const e = this.s[this.pos + 1];
        if (e === '\n' || (e === '\r' && this.s[this.pos + 2] === '\n')) {
          // An escaped line break joins the lines with nothing between them.
          this.pos += e === '\r' ? 2 : 1;
          this.newline();
          this.skipBlanks();
          continue;
        }
        const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        if (hex) {
          const code = parseInt(this.s.slice(this.pos + 2, this.pos + 2 + hex), 16);
          out += Number.isNaN(code) ? e : String.fromCodePoint(code);
          this.pos += 2 + hex;
        } else {
          out += e !== undefined ? (escapes.get(e) ?? e) : '';
          this.pos += 2;
        }
        continue;
      }
      if (c === '\n') {
        // A line break folds into a space, empty lines into line breaks.
        out = out.replace(/[ \t\r]+$/, '');
        let breaks = 0;
        while (this.s[this.pos] === '\n') {
          this.newline();
          breaks++;
          this.skipBlanks();
        }
        out += breaks > 1 ? '\n'.repeat(breaks - 1) : ' ';
        continue;
      }
      out += c;
      this.pos++;
    }
    return out;
  }

  // ---- flow collections -------------------------------------------------------------------

  /** Skips white space, line breaks and comments inside a flow collection. */
  private skipFlowSpace(): void {
    for (;;) {
      this.skipBlanks();
      if (this.atComment()) this.skipRestOfLine();
      if (this.s[this.pos] === '\n') this.newline();
      else return;
    }
  }

  private flow(): YamlNode {
    const line = this.line;
    const open = this.s[this.pos++];
    const close = open === '[' ? ']' : '}';
    const items: YamlNode[] = [];
    const entries: YamlEntry[] = [];
    for (;;) {
      this.skipFlowSpace();
      if (this.eof()) break;
      const c = this.s[this.pos];
      if (c === close) {
        this.pos++;
        break;
      }
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']' || c === '}') {
        this.pos++; // a stray closer of the other kind: skipped
        continue;
      }
      const keyLine = this.line;
      const first = this.flowNode();
      this.skipFlowSpace();
      let value: YamlNode | undefined;
      if (this.s[this.pos] === ':') {
        this.pos++;
        this.skipFlowSpace();
        const next = this.s[this.pos];
        value = next === ',' || next === close ? { kind: 'scalar', value: '', line: this.line } : this.flowNode();
      }
      if (open === '{')
        entries.push({
          key: keyText(first),
          line: keyLine,
          value: value ?? { kind: 'scalar', value: '', line: keyLine },
        });
      else if (value)
        items.push({ kind: 'map', entries: [{ key: keyText(first), line: keyLine, value }], line: keyLine });
      else items.push(first);
    }
    return open === '[' ? { kind: 'seq', items, line } : { kind: 'map', entries, line };
  }

  private flowNode(): YamlNode {
    const props: Props = {};
    this.skipFlowSpace();
    while (this.s[this.pos] === '!' || this.s[this.pos] === '&') {
      const c = this.s[this.pos];
      const word = this.word(true);
      if (c === '!') props.tag = word.slice(1);
      else props.anchor = word.slice(1);
      this.skipFlowSpace();
    }
    const line = this.line;
    const c = this.s[this.pos];
    let n: YamlNode;
    if (c === '[' || c === '{') n = this.flow();
    else if (c === '"' || c === "'") n = { kind: 'scalar', value: this.quoted(), line, quoted: true };
    else if (c === '*') n = this.anchors.get(this.word(true).slice(1)) ?? { kind: 'scalar', value: '', line };
    else {
      const start = this.pos;
      while (!this.eof()) {
        const ch = this.s[this.pos];
        if (ch === '\n' || flowIndicator(ch)) break;
        if (ch === '#' && isBlank(this.s[this.pos - 1])) break;
        if (
          ch === ':' &&
          (isBlank(this.s[this.pos + 1]) || isBreak(this.s[this.pos + 1]) || flowIndicator(this.s[this.pos + 1]))
        )
          break;
        this.pos++;
      }
      n = { kind: 'scalar', value: this.s.slice(start, this.pos).trim(), line };
    }
    return this.keep(props, n);
  }
}

/** The text a node gives as a mapping key. */
function keyText(n: YamlNode): string {
  return n.kind === 'scalar' ? n.value : '';
}

/** Folded block scalar content: lines joined by spaces, a blank line as a line break, more-indented lines kept as they are. */
function fold(lines: readonly string[]): string {
  let out = lines[0] ?? '';
  let blank = false;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') {
      out += '\n';
      blank = true;
      continue;
    }
    const indented = /^\s/.test(l) || /^\s/.test(lines[i - 1]!);
    out += blank ? l : indented ? `\n${l}` : ` ${l}`;
    blank = false;
  }
  return out;
}
