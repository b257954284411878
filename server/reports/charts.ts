// Server-side SVG bar charts for reports: Vega-Lite specs rendered by Vega's headless view, no browser needed.
//
// Why Vega-Lite: a declarative grammar maintained by the UW Interactive Data Lab with a long release record;
// `View.toSVG()` renders in plain Node (no DOM, no canvas), so fact sheets render the same in the API, the CLI
// and the PDF. Charts are readable without colour: each bar is labelled directly with its group and value, groups
// keep fixed positions, and the fills differ in lightness as well as hue. The figures are also in a table beside
// every chart (the text alternative), so the SVG itself is presentational (`aria: false`).
import * as vega from 'vega';
import * as vl from 'vega-lite';

export interface ChartBar {
  /** The answer category (one band of bars). */
  category: string;
  /** The group the bar stands for (municipality, county, country, …): one bar per group in each band. */
  group: string;
  /** A share from 0 to 1; null draws no bar (suppressed, or no one answered). */
  share: number | null;
  /** The label written at the bar's end, e.g. "Oslo 42 %" or "Oslo: skjult". */
  label: string;
}

/** Dark to light, distinguishable in greyscale too; the darkest is the unit the sheet is about. */
const fills = ['#1b3a6b', '#4f7fbf', '#a9c3e6', '#d9e4f2'];
const barHeight = 15;
const lineHeight = 13;

/** The Vega-Lite specification of a grouped horizontal bar chart, bands in the order given. */
export function barChartSpec(bars: ChartBar[], opts: { width?: number } = {}): vl.TopLevelSpec {
  const categories = [...new Set(bars.map((b) => b.category))];
  const groups = [...new Set(bars.map((b) => b.group))];
  const values = bars.map((b) => ({ ...b, at: b.share ?? 0 }));
  // A band holds its bars or its label's lines, whichever is taller, so wrapped labels never overlap.
  const lines = Math.max(1, ...categories.map((c) => c.split('\n').length));
  const band = Math.max(groups.length * barHeight, lines * lineHeight) + 8;
  const y = { field: 'category', type: 'nominal', sort: categories, title: null } as const;
  const yOffset = { field: 'group', type: 'nominal', sort: groups } as const;
  return {
    width: opts.width ?? 360,
    height: categories.length * band,
    data: { values },
    config: {
      aria: false,
      font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
      axis: { labelColor: '#1a1a1a', titleColor: '#1a1a1a', labelFontSize: 11, domainColor: '#595959' },
      view: { stroke: null },
    },
    encoding: {
      // Long answer texts break over lines (at the \n wrapLabel puts in) instead of being cut off.
      y: {
        ...y,
        axis: { labelLimit: 0, ticks: false, labelPadding: 6, labelExpr: "split(datum.label, '\\n')" },
      },
      yOffset,
    },
    layer: [
      {
        mark: { type: 'bar', stroke: '#1a1a1a', strokeWidth: 0.6, aria: false },
        encoding: {
          x: {
            field: 'at',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: { format: '.0%', title: null, tickCount: 5, grid: true, gridColor: '#e6e6e6' },
          },
          fill: {
            field: 'group',
            type: 'nominal',
            sort: groups,
            scale: { range: fills.slice(0, Math.max(groups.length, 1)) },
            legend: null,
          },
        },
      },
      {
        // The direct label carries the group's name, so no legend (and no colour) is needed to read a bar.
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'middle',
          dx: 4,
          fontSize: 10.5,
          color: '#1a1a1a',
          aria: false,
        },
        encoding: { x: { field: 'at', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as vl.TopLevelSpec;
}

/** Breaks a label into lines of about `width` characters at spaces, joined by \n (the axis splits on it). */
export function wrapLabel(text: string, width = 34): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Renders a chart to an SVG string (standalone, no scripts, no external references). */
export async function renderBarChart(bars: ChartBar[], opts: { width?: number } = {}): Promise<string> {
  const compiled = vl.compile(barChartSpec(bars, opts)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
