import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import styles from './Chart.module.css';
import { axisRange, FOCUS_ALPHA, keyboardLegend, markers, partialDay, tooltip, upToPartial } from './plugins';

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
  /**
   * The legend's height to hold from the start: uPlot fills the legend only when it builds the chart, a task after
   * the chart mounts, and the text below would move down by the legend then.
   */
  legendHeight?: number;
}

/** A legend swatch: the series' fill if it has one (bars), else its line colour. */
function swatch(u: uPlot, i: number): string {
  const paint = (value: unknown) => (typeof value === 'function' ? (value as (u: uPlot, i: number) => unknown)(u, i) : value);
  const s = u.series[i];
  return String(paint(s.fill) || paint(s.stroke) || '');
}

/**
 * A uPlot chart that lives as long as the component: created when it first comes near the screen, fed with setData
 * when data changes, resized by a ResizeObserver, recreated only when its options change, destroyed on unmount.
 *
 * Its legend is a control, not a picture: hovering an entry (or a line near the cursor) highlights that series,
 * clicking one (or Enter/Space on it, each entry being in the tab order) hides or shows it. The legend is mounted
 * beside the plot rather than inside its role="img" box, so assistive technology reaches it.
 */
export function Chart({ options, data, height = 300, label, marks, partialIndex = -1, legendHeight }: ChartProps) {
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
  const mounted = useRef(false);

  useEffect(() => {
    const element = plotHost.current!;
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    const build = () => {
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
      const created = new uPlot(
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
      plot = created;
      chart.current = created;
      observer = new ResizeObserver(() => {
        const width = element.clientWidth;
        if (width > 0 && Math.abs(width - created.width) > 1) created.setSize({ width, height });
      });
      observer.observe(element);
    };
    // A chart is first built when its box comes within half a screen of the viewport, each in a task of its own: a
    // page's charts often get their data in one render, and building those far below the fold at once held a phone's
    // main thread for most of a second. Rebuilt later (new series), it is built at once: it must not be empty a frame.
    let near: IntersectionObserver | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (mounted.current || typeof IntersectionObserver === 'undefined') build();
    else {
      near = new IntersectionObserver(
        (entries) => {
          if (!entries.some((e) => e.isIntersecting)) return;
          near?.disconnect();
          near = null;
          // Observers are notified together; a timer apiece gives each chart its own task.
          timer = setTimeout(build, 0);
        },
        { rootMargin: '50% 0px' },
      );
      near.observe(host.current!);
    }
    mounted.current = true;
    return () => {
      near?.disconnect();
      clearTimeout(timer);
      observer?.disconnect();
      plot?.destroy();
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
      {/* The plot's height is held before uPlot draws into it, so the legend and what follows do not move. */}
      <div ref={plotHost} role="img" aria-label={label} style={{ minHeight: `${height}px` }} />
      <div ref={legendHost} class={styles.legend} style={legendHeight ? { minHeight: `${legendHeight}px` } : undefined} />
    </div>
  );
}

/** Axis and grid colours for the dark theme, shared by every chart. */
export const axisStyle = {
  stroke: '#9aa5b8',
  grid: { stroke: 'rgba(154,165,184,0.12)', width: 1 },
  ticks: { stroke: 'rgba(154,165,184,0.25)', width: 1 },
  font: '12px Inter, "Segoe UI", system-ui, sans-serif',
};
