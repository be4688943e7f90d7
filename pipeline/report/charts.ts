import { mermaidText } from './markdown.ts';

/*
 * Charts for the comment that cannot mislead. Two ways to draw:
 * - `glyphBar`: a bar of block characters for a table cell, next to its exact value. Before and
 *   after go in neighbouring columns, so neither can hide the other (a Mermaid xychart draws two bar
 *   series on top of each other), and they read the same in e-mail notifications.
 * - `lineChart`: a Mermaid xychart of a few lines over a numeric x (epochs), each line in a fixed,
 *   named colour so the words under the chart can say which is which. Points where any line is not
 *   a finite number are left out (Mermaid refuses "NaN" and an empty value) and listed, so the
 *   caller can say so next to the chart.
 * Every chart goes with a table of the values it shows; `fitMarkdown` never keeps a chart without it.
 */

/** Colours that stay apart for colour-blind readers (Okabe and Ito), with the words the legend uses. */
export const CHART_COLOURS = [
  { name: 'blue', hex: '#0072B2' },
  { name: 'orange', hex: '#E69F00' },
  { name: 'green', hex: '#009E73' },
  { name: 'purple', hex: '#CC79A7' },
] as const;

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A bar of `width` character cells (to an eighth of a cell) for `value` on a scale from 0 to `max`,
 * as inline code so every cell is the same width; null for a value that is not a finite number.
 */
export function glyphBar(
  value: number | null | undefined,
  { max = 1, width = 10 }: { max?: number; width?: number } = {},
): string | null {
  if (value === null || value === undefined || !Number.isFinite(value) || !(max > 0)) return null;
  const eighths = Math.round(Math.min(1, Math.max(0, value / max)) * width * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8]!;
  return `\`${'█'.repeat(full)}${part}${'░'.repeat(width - full - (part ? 1 : 0))}\``;
}

export interface LineSeries {
  /** What the line is, in the words of the legend ("training loss"). */
  name: string;
  /** One value per x; null, NaN or Infinity is left out (JSON turns NaN into null). */
  values: readonly (number | null | undefined)[];
}

/** A point left out of a chart: its x and which series had no finite value there. */
export interface LeftOut {
  x: number;
  series: string[];
}

/**
 * A Mermaid line chart of `series` over `x` (one value per x in each series), the i-th series in
 * CHART_COLOURS[i]. At most `maxPoints` points are drawn (evenly spaced, always the last); `shown`
 * lists the x values drawn, so a table can list exactly those. Null chart when no point is left.
 */
export function lineChart({
  title,
  xTitle,
  yTitle,
  yRange,
  x,
  series,
  maxPoints = 60,
}: {
  title: string;
  xTitle: string;
  yTitle: string;
  yRange?: [number, number];
  x: readonly number[];
  series: readonly LineSeries[];
  maxPoints?: number;
}): { chart: string | null; shown: number[]; leftOut: LeftOut[] } {
  const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  const leftOut: LeftOut[] = [];
  const usable: number[] = [];
  x.forEach((value, i) => {
    const missing = series.filter((s) => !finite(s.values[i])).map((s) => s.name);
    if (missing.length) leftOut.push({ x: value, series: missing });
    else usable.push(i);
  });
  const step = Math.max(1, Math.ceil(usable.length / maxPoints));
  const picked = usable.filter((_, k) => k % step === 0 || k === usable.length - 1);
  if (picked.length === 0 || series.length === 0) return { chart: null, shown: [], leftOut };
  const palette = CHART_COLOURS.slice(0, series.length)
    .map((c) => c.hex)
    .join(', ');
  const lines = [
    '```mermaid',
    // Fixed colours, so the legend in words is right whatever the reader's theme.
    '---',
    'config:',
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${palette}"`,
    '---',
    'xychart-beta',
    `    title "${mermaidText(title)}"`,
    `    x-axis "${mermaidText(xTitle)}" [${picked.map((i) => String(x[i])).join(', ')}]`,
    `    y-axis "${mermaidText(yTitle)}"${yRange ? ` ${yRange[0]} --> ${yRange[1]}` : ''}`,
    ...series.map(
      (s) => `    line "${mermaidText(s.name)}" [${picked.map((i) => chartNumber(s.values[i] as number)).join(', ')}]`,
    ),
    '```',
  ];
  return { chart: lines.join('\n'), shown: picked.map((i) => x[i]!), leftOut };
}

/** A number as Mermaid reads it: plain decimals, no exponent, at most 4 decimals. */
function chartNumber(value: number): string {
  return String(Number(value.toFixed(4)));
}
