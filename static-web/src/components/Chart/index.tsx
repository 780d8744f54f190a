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
}

/**
 * A uPlot chart that lives as long as the component: created on mount, fed with setData when data changes, resized
 * by a ResizeObserver, recreated only when its options change, destroyed on unmount.
 */
export function Chart({ options, data, height = 300, label, marks }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const latestMarks = useRef<ChartMark[]>(marks ?? []);
  latestMarks.current = marks ?? [];

  useEffect(() => {
    const element = host.current!;
    const plugins = [...(options.plugins ?? []), tooltip(), markers(() => latestMarks.current)];
    const plot = new uPlot({ ...options, width: Math.max(element.clientWidth, 200), height, plugins }, latest.current, element);
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

  return (
    <div
      ref={host}
      class={styles.chart}
      role="img"
      aria-label={label}
      data-series={options.series.length - 1}
      data-marks={marks?.length ?? 0}
      data-testid="chart"
    />
  );
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
