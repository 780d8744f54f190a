import uPlot from 'uplot';
import styles from './Chart.module.css';
import type { ChartMark } from '.';

// The uPlot plugins every chart of the dashboard uses: the partial day, the legend as keyboard toggles, operator
// marks on the time axis, the tooltip, and the x range as data attributes.

/** How much a series fades while another is highlighted. */
export const FOCUS_ALPHA = 0.25;

/**
 * Line paths that stop at the last point before the partial day; the partial day's segment is drawn dashed by
 * `partialDay`. Without a partial day (or for a series with paths of its own) the usual lines.
 */
export function upToPartial(partial: () => number): uPlot.Series.PathBuilder {
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
export function partialDay(partial: () => number, lines: Set<number>, focus: { index: number | null }): uPlot.Plugin {
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
export function keyboardLegend(legend: () => HTMLTableElement | null, focus: { index: number | null }): uPlot.Plugin {
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
export function axisRange(host: HTMLElement): uPlot.Plugin {
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
export function markers(marks: () => ChartMark[]): uPlot.Plugin {
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
export function tooltip(): uPlot.Plugin {
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
