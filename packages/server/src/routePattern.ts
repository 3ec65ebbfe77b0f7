/** A compiled route pattern such as `/api/v1/chargers/:id`. */
export interface RoutePattern {
  readonly source: string;
  /** Path parameters (percent-decoded) when `pathname` matches, else `undefined`. */
  match(pathname: string): Record<string, string> | undefined;
}

/**
 * The path parameters of a route pattern, by name: `RouteParams<'/api/:version/chargers/:id'>` is
 * `{ readonly version: string; readonly id: string }`; a final `*rest` adds `rest` (a bare `*` adds `'*'`).
 * A pattern typed only as `string` gives a record of strings.
 */
export type RouteParams<Pattern extends string> = string extends Pattern
  ? Readonly<Record<string, string>>
  : { readonly [K in ParamNames<Pattern>]: string };

type ParamNames<Path extends string> = Path extends `${infer Head}/${infer Rest}` ? SegmentParam<Head> | ParamNames<Rest> : SegmentParam<Path>;
type SegmentParam<Segment extends string> = Segment extends `:${infer Name}` ? Name : Segment extends `*${infer Name}` ? (Name extends '' ? '*' : Name) : never;

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'rest'; name: string };

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/**
 * Compiles a route pattern: literal segments, `:name` (exactly one non-empty segment) and a final `*name`
 * or `*` (one or more remaining segments, joined with '/'). Trailing slashes are ignored. Parameters are
 * percent-decoded; one that is not valid percent-encoding keeps its raw text.
 */
export function compileRoutePattern(pattern: string): RoutePattern {
  if (!pattern.startsWith('/')) throw new TypeError(`Route pattern must start with '/': ${pattern}`);
  const parts = splitPath(pattern);
  const segments: Segment[] = parts.map((part, i) => {
    if (part.startsWith(':')) {
      const name = part.slice(1);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new TypeError(`Bad parameter name in route pattern: ${pattern}`);
      return { kind: 'param', name };
    }
    if (part.startsWith('*')) {
      if (i !== parts.length - 1) throw new TypeError(`'*' must be the last segment of a route pattern: ${pattern}`);
      return { kind: 'rest', name: part.slice(1) || '*' };
    }
    return { kind: 'literal', value: part };
  });
  const names = segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name]));
  if (new Set(names).size !== names.length) throw new TypeError(`Duplicate parameter name in route pattern: ${pattern}`);

  return {
    source: pattern,
    match(pathname) {
      const path = splitPath(pathname);
      const last = segments[segments.length - 1];
      const hasRest = last?.kind === 'rest';
      if (hasRest ? path.length < segments.length : path.length !== segments.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i]!;
        const raw = path[i]!;
        if (seg.kind === 'literal') {
          if (seg.value !== raw) return undefined;
          continue;
        }
        const value = seg.kind === 'rest' ? path.slice(i).join('/') : raw;
        // Matching is structural: a parameter with broken percent-encoding keeps its raw text, and the
        // identity check answers 400 for it instead of a misleading 404.
        params[seg.name] = seg.kind === 'rest' ? value.split('/').map(safeDecode).join('/') : safeDecode(value);
      }
      return params;
    },
  };
}
