import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import styles from './Chart.module.css';

/** A moment marked on the time axis (an operator's action): a thin vertical line whose title says what happened. */
export interface ChartMark {
  /** In the chart's x units (seconds). */
  x: number;
  /** One line per action at this x. */
  label: string;
}

export interface ChartProps {
  /** Everything but size and data; a new value recreates the chart (series added or removed). */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height?: number;
  label: string;
  /** Marks on the time axis; a change redraws them without recreating the chart. */
  marks?: ChartMark[];
  /**
   * The index in `data[0]` of a day still under way (today), or -1: its column is hatched and captioned
   * "today (partial)", and each line's last segment into it is dashed, so a half day does not read as a fall.
   */
  partialIndex?: number;
}

/** A legend swatch: the series' fill if it has one (bars), else its line colour. */
function swatch(u: uPlot, i: number): string {
  const paint = (value: unknown) => (typeof value === 'function' ? (value as (u: uPlot, i: number) => unknown)(u, i) : value);
  const s = u.series[i];
  return String(paint(s.fill) || paint(s.stroke) || '');
}

/** How much a series fades while another is highlighted. */
const FOCUS_ALPHA = 0.25;

/**
 * A uPlot chart that lives as long as the component: created on mount, fed with setData when data changes, resized
 * by a ResizeObserver, recreated only when its options change, destroyed on unmount.
 *
 * Its legend is a control, not a picture: hovering an entry (or a line near the cursor) highlights that series,
 * clicking one (or Enter/Space on it, each entry being in the tab order) hides or shows it. The legend is mounted
 * beside the plot rather than inside its role="img" box, so assistive technology reaches it.
 */
export function Chart({ options, data, height = 300, label, marks, partialIndex = -1 }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plotHost = useRef<HTMLDivElement>(null);
  const legendHost = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const latestMarks = useRef<ChartMark[]>(marks ?? []);
  latestMarks.current = marks ?? [];
  const partial = useRef(partialIndex);
  partial.current = partialIndex;

  useEffect(() => {
    const element = plotHost.current!;
    const focus = { index: null as number | null };
    // Lines drawn by uPlot's default paths get a dashed last segment into a partial day; bars and steps keep theirs.
    const lines = new Set(options.series.flatMap((s, i) => (i > 0 && !s.paths ? [i] : [])));
    const plugins = [
      ...(options.plugins ?? []),
      tooltip(),
      markers(() => latestMarks.current),
      partialDay(() => partial.current, lines, focus),
      keyboardLegend(() => legendHost.current?.querySelector('table') ?? null, focus),
      axisRange(host.current!),
    ];
    const series = options.series.map((s, i) => (lines.has(i) ? { ...s, paths: upToPartial(() => partial.current) } : s));
    const plot = new uPlot(
      {
        ...options,
        series,
        width: Math.max(element.clientWidth, 200),
        height,
        plugins,
        focus: { alpha: FOCUS_ALPHA },
        cursor: { ...options.cursor, focus: { prox: 24, ...options.cursor?.focus } },
        legend: {
          ...options.legend,
          // Filled swatches (a line's colour, or a bar's fill) read better than uPlot's outlined squares.
          markers: { fill: swatch, ...options.legend?.markers },
          mount: (_u, table) => legendHost.current!.appendChild(table),
        },
      },
      latest.current,
      element,
    );
    chart.current = plot;
    const observer = new ResizeObserver(() => {
      const width = element.clientWidth;
      if (width > 0 && Math.abs(width - plot.width) > 1) plot.setSize({ width, height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  // New marks only move lines: a redraw without rebuilding the paths places them.
  useEffect(() => {
    chart.current?.redraw(false, false);
  }, [marks]);

  // A new today (the day rolled over) moves where the solid lines stop: their paths are built again.
  const shownPartial = useRef(partialIndex);
  useEffect(() => {
    if (shownPartial.current === partialIndex) return;
    shownPartial.current = partialIndex;
    chart.current?.redraw(true, false);
  }, [partialIndex]);

  return (
    <div
      ref={host}
      class={styles.chart}
      data-series={options.series.length - 1}
      data-marks={marks?.length ?? 0}
      data-partial={partialIndex >= 0 ? String(data[0][partialIndex]) : undefined}
      data-testid="chart"
    >
      <div ref={plotHost} role="img" aria-label={label} />
      <div ref={legendHost} class={styles.legend} />
    </div>
  );
}

/**
 * Line paths that stop at the last point before the partial day; the partial day's segment is drawn dashed by
 * `partialDay`. Without a partial day (or for a series with paths of its own) the usual lines.
 */
function upToPartial(partial: () => number): uPlot.Series.PathBuilder {
  const linear = uPlot.paths.linear!();
  return (u, seriesIdx, idx0, idx1) => {
    const p = partial();
    return linear(u, seriesIdx, idx0, p > idx0 && idx1 >= p ? p - 1 : idx1);
  };
}

/**
 * The day still under way: its column hatched under the lines, "today (partial)" above it, and each shown line's
 * segment into it dashed (dimmed like its line when another series is highlighted).
 */
function partialDay(partial: () => number, lines: Set<number>, focus: { index: number | null }): uPlot.Plugin {
  const column = (u: uPlot, p: number) => {
    const xs = u.data[0];
    const step = p > 0 ? xs[p] - xs[p - 1] : xs.length > 1 ? xs[1] - xs[0] : 86_400;
    const left = Math.max(u.bbox.left, u.valToPos(xs[p] - step / 2, 'x', true));
    const right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(xs[p] + step / 2, 'x', true));
    return { left, right };
  };
  return {
    hooks: {
      drawClear(u) {
        const p = partial();
        if (p < 0 || p >= u.data[0].length) return;
        const { left, right } = column(u, p);
        if (right <= left) return;
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, right - left, height);
        ctx.clip();
        ctx.fillStyle = 'rgba(154,165,184,0.06)';
        ctx.fillRect(left, top, right - left, height);
        ctx.strokeStyle = 'rgba(154,165,184,0.16)';
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        const gap = 10 * devicePixelRatio;
        ctx.beginPath();
        for (let x = left - height; x < right; x += gap) {
          ctx.moveTo(x, top + height);
          ctx.lineTo(x + height, top);
        }
        ctx.stroke();
        ctx.restore();
      },
      draw(u) {
        const p = partial();
        if (p < 0 || p >= u.data[0].length) return;
        const ctx = u.ctx;
        const { left, right } = column(u, p);
        ctx.save();
        ctx.font = `${Math.round(11.5 * devicePixelRatio)}px Inter, "Segoe UI", system-ui, sans-serif`;
        // On a dark chip, so a line crossing the caption does not hide it.
        const caption = 'today (partial)';
        const pad = 4 * devicePixelRatio;
        const width = ctx.measureText(caption).width + 2 * pad;
        const height = 16 * devicePixelRatio;
        const x = Math.max(u.bbox.left, Math.min((left + right) / 2 - width / 2, u.bbox.left + u.bbox.width - width));
        const y = u.bbox.top + pad;
        ctx.fillStyle = 'rgba(14,17,23,0.85)';
        ctx.fillRect(x, y, width, height);
        ctx.fillStyle = '#c3cad6';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'middle';
        ctx.fillText(caption, x + pad, y + height / 2);
        // The segment from each line's last full day into today, dashed.
        u.series.forEach((s, i) => {
          if (!lines.has(i) || !s.show) return;
          const ys = u.data[i];
          const y = ys[p];
          if (y == null) return;
          let q = p - 1;
          while (q >= 0 && ys[q] == null) q--;
          if (q < 0) return;
          const stroke = typeof s.stroke === 'function' ? s.stroke(u, i) : s.stroke;
          ctx.globalAlpha = focus.index !== null && focus.index !== i ? FOCUS_ALPHA : 1;
          ctx.strokeStyle = String(stroke);
          ctx.lineWidth = (s.width ?? 1) * devicePixelRatio;
          ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(u.valToPos(u.data[0][q], 'x', true), u.valToPos(ys[q]!, s.scale ?? 'y', true));
          ctx.lineTo(u.valToPos(u.data[0][p], 'x', true), u.valToPos(y, s.scale ?? 'y', true));
          ctx.stroke();
        });
        ctx.restore();
      },
    },
  };
}

/**
 * Every legend entry a toggle button in the tab order: Enter or Space shows or hides its series, focus highlights it
 * as hovering does, aria-pressed says whether it is shown. uPlot itself handles the mouse (click, hover).
 */
function keyboardLegend(legend: () => HTMLTableElement | null, focus: { index: number | null }): uPlot.Plugin {
  let rows: HTMLTableRowElement[] = [];
  const sync = (u: uPlot) => rows.forEach((row, i) => row && row.setAttribute('aria-pressed', String(u.series[i].show !== false)));
  return {
    hooks: {
      init(u) {
        const table = legend();
        // A list of toggles rather than a data table: the values are in the tooltip.
        table?.setAttribute('role', 'group');
        table?.setAttribute('aria-label', 'Series: Enter or click shows or hides one; focus or hover highlights it');
        table?.querySelector('tbody')?.setAttribute('role', 'presentation');
        const found = table ? [...table.querySelectorAll<HTMLTableRowElement>('tr.u-series')] : [];
        // With a live legend the first row is x's; without, rows start at the first series.
        const offset = found.length === u.series.length ? 0 : 1;
        rows = [];
        found.forEach((row, r) => {
          const i = r + offset;
          rows[i] = row;
          if (i === 0) {
            row.setAttribute('aria-hidden', 'true');
            return;
          }
          row.tabIndex = 0;
          row.setAttribute('role', 'button');
          row.setAttribute('data-series-label', String(u.series[i].label ?? ''));
          row.title = 'Show or hide this series (click, Enter or Space)';
          row.addEventListener('keydown', (e) => {
            if (e.key !== 'Enter' && e.key !== ' ') return;
            e.preventDefault();
            u.setSeries(i, { show: !u.series[i].show });
          });
          row.addEventListener('focus', () => u.setSeries(i, { focus: true }));
          row.addEventListener('blur', () => u.setSeries(null, { focus: true }));
        });
        sync(u);
      },
      setSeries(u, i, opts) {
        if ((opts as { focus?: boolean }).focus) focus.index = i;
        if (opts.show !== undefined) sync(u);
      },
    },
  };
}
/** The x range on screen, as data attributes of the chart (seconds), for tests and for anyone reading the DOM. */
function axisRange(host: HTMLElement): uPlot.Plugin {
  return {
    hooks: {
      // Read at each draw, when the scales are final (uPlot also sets them once before its data is in).
      draw(u) {
        const { min, max } = u.scales.x;
        if (min != null) host.dataset.xMin = String(Math.round(min));
        if (max != null) host.dataset.xMax = String(Math.round(max));
      },
    },
  };
}

/**
 * Thin vertical lines over the plot at each mark's x, each with a title (the browser's tooltip) naming what happened.
 * They are elements rather than canvas strokes so they can carry that title; placed again after every draw (new data,
 * a resize, a zoom), hidden when their x is outside the visible range.
 */
function markers(marks: () => ChartMark[]): uPlot.Plugin {
  let layer: HTMLDivElement;
  return {
    hooks: {
      init(u) {
        layer = document.createElement('div');
        layer.className = styles.marks;
        u.over.appendChild(layer);
      },
      draw(u) {
        const list = marks();
        const width = u.over.clientWidth;
        const { min, max } = u.scales.x;
        const shown = list.filter((m) => min != null && max != null && m.x >= min && m.x <= max);
        while (layer.childElementCount > shown.length) layer.lastElementChild!.remove();
        while (layer.childElementCount < shown.length) {
          const mark = document.createElement('div');
          mark.className = styles.mark;
          mark.setAttribute('data-testid', 'chart-mark');
          layer.appendChild(mark);
        }
        shown.forEach((m, i) => {
          const element = layer.children[i] as HTMLDivElement;
          const left = Math.round(u.valToPos(m.x, 'x'));
          element.style.left = `${Math.max(0, Math.min(width - 1, left))}px`;
          element.title = m.label;
        });
      },
    },
  };
}

/** A tooltip that follows the cursor and lists every visible series' value at that x, formatted by its axis. */
function tooltip(): uPlot.Plugin {
  let box: HTMLDivElement;
  return {
    hooks: {
      init(u) {
        box = document.createElement('div');
        box.className = styles.tooltip;
        box.style.display = 'none';
        u.over.appendChild(box);
        u.over.addEventListener('mouseleave', () => (box.style.display = 'none'));
      },
      setCursor(u) {
        const { idx, left, top } = u.cursor;
        if (idx == null || left == null || left < 0 || top == null) {
          box.style.display = 'none';
          return;
        }
        const x = u.data[0][idx];
        const xLabel = u.series[0].value ? (u.series[0].value as (u: uPlot, v: number) => string)(u, x) : String(x);
        const rows = u.series
          .map((s, i) => {
            if (i === 0 || !s.show) return '';
            const v = u.data[i][idx];
            if (v == null) return '';
            const text = typeof s.value === 'function' ? s.value(u, v, i, idx) : String(v);
            const color = typeof s.stroke === 'function' ? s.stroke(u, i) : s.stroke;
            return `<div><i style="background:${String(color)}"></i>${escape(String(s.label))}<b>${escape(String(text))}</b></div>`;
          })
          .join('');
        box.innerHTML = `<header>${escape(xLabel)}</header>${rows}`;
        box.style.display = 'block';
        const flip = left > u.over.clientWidth / 2;
        box.style.left = `${flip ? left - box.offsetWidth - 14 : left + 14}px`;
        box.style.top = `${Math.max(0, Math.min(top, u.over.clientHeight - box.offsetHeight))}px`;
      },
    },
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Axis and grid colours for the dark theme, shared by every chart. */
export const axisStyle = {
  stroke: '#9aa5b8',
  grid: { stroke: 'rgba(154,165,184,0.12)', width: 1 },
  ticks: { stroke: 'rgba(154,165,184,0.25)', width: 1 },
  font: '12px Inter, "Segoe UI", system-ui, sans-serif',
};
