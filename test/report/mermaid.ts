import path from 'node:path';
import type { Page } from 'playwright-core';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';

/*
 * The real Mermaid parser (mermaid from npm, as GitHub runs it in its viewer) in Debian's Chromium:
 * Mermaid needs a DOM. One browser per test file; `check` parses and renders every chart in a
 * Markdown text and also checks what Mermaid accepts silently (a series with more or fewer values
 * than the x-axis has categories is drawn, wrongly).
 */

const MERMAID = path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

export interface ChartCheck {
  chart: string;
  /** Why Mermaid (or the series check) refused the chart; null when it parses and renders. */
  error: string | null;
  /** The drawing, when it rendered. */
  svg: string | null;
}

export interface MermaidChecker {
  check(markdown: string): Promise<ChartCheck[]>;
  close(): Promise<void>;
}

export async function startMermaid(): Promise<MermaidChecker> {
  const browser: TestBrowser = await openChromium();
  const page: Page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: MERMAID });
  await page.evaluate(() =>
    (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }),
  );
  let n = 0;
  return {
    async check(markdown) {
      const results: ChartCheck[] = [];
      for (const chart of mermaidBlocks(markdown)) {
        const { error, svg } = await page.evaluate(
          async ({ code, id }) => {
            const m = (
              globalThis as unknown as {
                mermaid: {
                  parse(c: string): Promise<unknown>;
                  render(id: string, c: string): Promise<{ svg: string }>;
                };
              }
            ).mermaid;
            try {
              await m.parse(code);
              const { svg } = await m.render(id, code);
              return { error: /NaN|Infinity/.test(svg) ? 'the drawing has NaN or Infinity in it' : null, svg };
            } catch (e) {
              return { error: String((e as Error).message ?? e), svg: null };
            }
          },
          { code: chart, id: `chart${n++}` },
        );
        results.push({ chart, error: error ?? seriesError(chart), svg });
      }
      return results;
    },
    close: () => browser.close(),
  };
}

/** The text of every ```mermaid fenced block. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** An xychart whose x-axis lists categories needs exactly one value per category in every series. */
function seriesError(chart: string): string | null {
  const axis = chart.match(/^\s*x-axis(?: "[^"]*")? \[(.*)\]\s*$/m);
  if (!axis) return null;
  const categories = axis[1]!.split(',').length;
  for (const series of chart.matchAll(/^\s*(line|bar)(?: "[^"]*")? \[(.*)\]\s*$/gm)) {
    const values = series[2]!.split(',').length;
    if (values !== categories) return `a ${series[1]} series has ${values} values for ${categories} categories`;
  }
  return null;
}
