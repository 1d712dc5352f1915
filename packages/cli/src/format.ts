// Human-readable renderings of task results. Results are duck-typed against the shared shapes
// (label/score/box, keypoints, text) so a field a task adds later never breaks the output; anything
// unrecognised is printed as compact JSON.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `87%` from a score in [0, 1]. */
export function pct(score: unknown): string {
  const s = num(score);
  return s === undefined ? '' : `${Math.round(s * 100)}%`;
}

/** `x=12 y=40 320×200` from a BoundingBox. */
export function box(b: unknown): string {
  if (!isObj(b)) return '';
  const r = (k: string) => Math.round(num(b[k]) ?? 0);
  return `at x=${r('x')} y=${r('y')} ${r('width')}×${r('height')}`;
}

function json(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

function listOf(result: unknown, ...keys: string[]): unknown[] | undefined {
  if (Array.isArray(result)) return result;
  if (isObj(result)) for (const k of keys) if (Array.isArray(result[k])) return result[k] as unknown[];
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a result prints as: a summary after the input's name, then indented lines. */
export interface Rendered {
  summary: string;
  lines: string[];
}

export function formatObjects(result: unknown): Rendered {
  const list = listOf(result, 'objects', 'detections');
  if (!list) return { summary: json(result), lines: [] };
  const width = Math.max(8, ...list.map((o) => String(isObj(o) ? (o.label ?? '') : '').length));
  return {
    summary: plural(list.length, 'object'),
    lines: list.map((o) =>
      isObj(o)
        ? `${String(o.label ?? '?').padEnd(width)} ${pct(o.score).padStart(4)}  ${box(o.box)}`
        : json(o),
    ),
  };
}

export function formatFaces(result: unknown): Rendered {
  const list = listOf(result, 'faces');
  if (!list) return { summary: json(result), lines: [] };
  return {
    summary: plural(list.length, 'face'),
    lines: list.map((f, i) => {
      if (!isObj(f)) return json(f);
      const points = listOf(f, 'landmarks', 'keypoints', 'mesh');
      const extra = [
        points ? `${points.length} landmarks` : '',
        num(f.rollAngle) !== undefined ? `roll ${Math.round(f.rollAngle as number)}°` : '',
        Array.isArray(f.blendshapes) ? `${f.blendshapes.length} blendshapes` : '',
      ].filter(Boolean);
      return `face ${i + 1} ${pct(f.score).padStart(4)}  ${box(f.box)}${extra.length ? `  (${extra.join(', ')})` : ''}`;
    }),
  };
}

export function formatText(result: unknown): Rendered {
  const text = typeof result === 'string' ? result : isObj(result) ? result.text : undefined;
  if (typeof text !== 'string') return { summary: json(result), lines: [] };
  const lines = text.split('\n').filter((l, i, all) => l.trim() || (i > 0 && i < all.length - 1));
  const blocks = isObj(result) && Array.isArray(result.blocks) ? result.blocks : undefined;
  const lineCount = blocks
    ? blocks.reduce((n: number, b) => n + (isObj(b) && Array.isArray(b.lines) ? b.lines.length : 0), 0)
    : lines.length;
  const parts = [plural(lineCount, 'line')];
  if (isObj(result) && num(result.skewAngle) && Math.abs(result.skewAngle as number) >= 0.5)
    parts.push(`skew ${(result.skewAngle as number).toFixed(1)}°`);
  if (isObj(result) && typeof result.engine === 'string') parts.push(result.engine);
  return { summary: parts.join(', '), lines: lines.length ? lines : ['(no text found)'] };
}

export function formatKeywords(result: unknown): Rendered {
  const list = listOf(result, 'detections', 'keywords', 'events');
  if (!list) return { summary: json(result), lines: [] };
  return {
    summary: plural(list.length, 'keyword'),
    lines: list.map((k) => {
      if (!isObj(k)) return json(k);
      const label = k.keyword ?? k.label ?? k.name ?? '?';
      const t = num(k.time) ?? num(k.start) ?? num(k.startTime) ?? num(k.timestamp);
      const end = num(k.end) ?? num(k.endTime);
      const at = t === undefined ? '' : `${t.toFixed(2)}s${end !== undefined ? `–${end.toFixed(2)}s` : ''}  `;
      return `${at}${String(label)} ${pct(k.score)}`.trimEnd();
    }),
  };
}

export function formatLanguages(result: unknown): Rendered {
  const list = listOf(result, 'languages', 'candidates', 'predictions');
  if (!list) {
    if (isObj(result) && typeof (result.language ?? result.code) === 'string')
      return {
        summary: `${String(result.language ?? result.code)} ${pct(result.score ?? result.confidence)}`.trim(),
        lines: [],
      };
    return { summary: typeof result === 'string' ? result : json(result), lines: [] };
  }
  const name = (l: unknown) =>
    isObj(l) ? String(l.language ?? l.code ?? l.label ?? l.lang ?? '?') : String(l);
  const score = (l: unknown) => (isObj(l) ? pct(l.score ?? l.confidence ?? l.probability) : '');
  const top = list[0];
  return {
    summary: top === undefined ? 'undetermined' : `${name(top)} ${score(top)}`.trim(),
    lines: list.slice(1).map((l) => `${name(l)} ${score(l)}`.trim()),
  };
}

export function formatTranslation(result: unknown): Rendered {
  const text =
    typeof result === 'string' ? result : isObj(result) ? (result.text ?? result.translation) : undefined;
  if (typeof text !== 'string') return { summary: json(result), lines: [] };
  return { summary: text, lines: [] };
}
