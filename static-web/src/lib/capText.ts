import { formatInt, formatUsd } from './format';

// The words for a bot's daily caps, with the numbers formatted here (thousands separators, dollars and cents), so
// whatever the server's own wording, the dashboard says "98,006 of 50,000 tokens" and never "98006/50000".

/** When a capped bot wakes: its budget renews at midnight UTC. */
export const RESTS_UNTIL = 'rests until 00:00 UTC';

export interface CapUse {
  tokensToday: number;
  tokenCap: number;
  costTodayUsd: number;
  costCapUsd: number;
}

/** Which cap a day's use has reached (at or past it, as the server counts), the token cap first; null when neither. */
export function reachedCap(use: CapUse): 'tokens' | 'cost' | null {
  if (use.tokensToday >= use.tokenCap) return 'tokens';
  if (use.costTodayUsd >= use.costCapUsd) return 'cost';
  return null;
}

/** "Daily token cap reached: 98,006 of 50,000 tokens", or the cost cap's "$1.02 of $1.00"; null when under both. */
export function cappedReason(use: CapUse): string | null {
  switch (reachedCap(use)) {
    case 'tokens':
      return `Daily token cap reached: ${formatInt(use.tokensToday)} of ${formatInt(use.tokenCap)} tokens`;
    case 'cost':
      return `Daily cost cap reached: ${formatUsd(use.costTodayUsd)} of ${formatUsd(use.costCapUsd)}`;
    default:
      return null;
  }
}

/** "about 1498" / "about $0.0100" in the server's "would be passed" reason: the next prompt's estimate. */
function nextPromptEstimate(reason: unknown): number | null {
  const match = typeof reason === 'string' ? /about \$?([\d.]+) for the next prompt/.exec(reason) : null;
  return match ? Number(match[1]) : null;
}

/**
 * Why a bot is capped, from today's numbers: reached ("Daily token cap reached: 98,006 of 50,000 tokens"), or stopped
 * just short because its next prompt would pass the cap ("Daily token cap nearly reached: 198,774 of 200,000 tokens;
 * the next prompt (about 1,498) would pass it"). `serverReason` says which cap stopped it short and the estimate.
 */
export function cappedStatusText(use: CapUse, serverReason: string | null | undefined): string | null {
  const reached = cappedReason(use);
  if (reached) return reached;
  if (!serverReason || !/would be passed/.test(serverReason)) return null;
  const next = nextPromptEstimate(serverReason);
  if (/cost cap/i.test(serverReason)) {
    return `Daily cost cap nearly reached: ${formatUsd(use.costTodayUsd)} of ${formatUsd(use.costCapUsd)}; the next prompt${next === null ? '' : ` (about ${formatUsd(next)})`} would pass it`;
  }
  return `Daily token cap nearly reached: ${formatInt(use.tokensToday)} of ${formatInt(use.tokenCap)} tokens; the next prompt${next === null ? '' : ` (about ${formatInt(next)} tokens)`} would pass it`;
}

/** The numbers a usage_capped row's details carry, as `cappedStatusText` words them; null when they are missing. */
export function cappedReasonOf(details: Record<string, unknown>): string | null {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const tokens = n(details.tokens_today);
  const tokenCap = n(details.token_cap);
  const cost = n(details.cost_today_usd);
  const costCap = n(details.cost_cap_usd);
  if (tokens === null || tokenCap === null) return null;
  const use = { tokensToday: tokens, tokenCap, costTodayUsd: cost ?? 0, costCapUsd: costCap ?? Number.POSITIVE_INFINITY };
  return cappedStatusText(use, typeof details.reason === 'string' ? details.reason : null);
}

/**
 * A usage_capped row in the feed: "reached its daily token cap (98,006 of 50,000 tokens) and rests until 00:00 UTC",
 * or "stopped short of its daily token cap (198,774 of 200,000 tokens; the next prompt, about 1,498 tokens, would
 * pass it) and rests until 00:00 UTC", from the row's numbers; the server's reason when they are missing.
 */
export function cappedSentence(details: Record<string, unknown>): string {
  const reason = cappedReasonOf(details);
  const reached = reason && /^Daily (token|cost) cap reached: (.*)$/.exec(reason);
  if (reached) return `reached its daily ${reached[1]} cap (${reached[2]}) and ${RESTS_UNTIL}`;
  const near = reason && /^Daily (token|cost) cap nearly reached: (.*); the next prompt(?: \((.*)\))? would pass it$/.exec(reason);
  if (near) {
    return `stopped short of its daily ${near[1]} cap (${near[2]}; the next prompt${near[3] ? `, ${near[3]},` : ''} would pass it) and ${RESTS_UNTIL}`;
  }
  const said = typeof details.reason === 'string' && details.reason ? details.reason : null;
  return said ? `${said}; ${RESTS_UNTIL}` : `reached its daily cap and ${RESTS_UNTIL}`;
}

export interface CapChange {
  name: string;
  tokensToday: number;
  costTodayUsd: number;
  /** The token cap the bot will have after saving (its own, or the global default when reset), or null if unknown. */
  tokenCap: number | null;
  costCapUsd: number | null;
}

/**
 * What saving these caps does at once, when a cap is at or below what the bot already used today:
 * "Ada has used 98,006 tokens today; a cap of 50,000 tokens caps Ada at once, until 00:00 UTC." Empty when neither
 * cap is reached.
 */
export function capWarnings(change: CapChange): string[] {
  const warnings: string[] = [];
  if (change.tokenCap !== null && change.tokensToday >= change.tokenCap) {
    warnings.push(
      `${change.name} has used ${formatInt(change.tokensToday)} tokens today; a cap of ${formatInt(change.tokenCap)} tokens caps ${change.name} at once, until 00:00 UTC.`,
    );
  }
  if (change.costCapUsd !== null && change.costTodayUsd >= change.costCapUsd) {
    warnings.push(
      `${change.name} has spent ${formatUsd(change.costTodayUsd)} today; a cap of ${formatUsd(change.costCapUsd)} caps ${change.name} at once, until 00:00 UTC.`,
    );
  }
  return warnings;
}
