import type { ModelTrace } from '../api/types/activity';
import { formatInt, formatUsd, modelLabel } from './format';

/** "0.5 ms", "850 ms", "2.40 s", "12.5 s". */
export function latencyLabel(ms: number): string {
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * A model call's summary line, part by part: model (marked when simulated) · provider · tokens in/out/cached ·
 * latency · cost · retries · how it ended.
 */
export function traceSummary(trace: ModelTrace): string[] {
  return [
    modelLabel(trace.model, trace.simulated),
    trace.provider,
    `${formatInt(trace.input_tokens)} in / ${formatInt(trace.output_tokens)} out / ${formatInt(trace.cached_input_tokens)} cached tokens`,
    latencyLabel(trace.latency_ms),
    trace.cost_usd === null ? 'cost unknown (no price)' : formatUsd(trace.cost_usd),
    `${trace.retries} ${trace.retries === 1 ? 'retry' : 'retries'}`,
    trace.failure_kind || trace.failure ? `failed${trace.failure_kind ? ` (${trace.failure_kind})` : ''}` : 'succeeded',
  ];
}
