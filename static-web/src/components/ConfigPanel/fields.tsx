import type { ApiError } from '../../api/client';
import type { BotSummary, PersonalityConfig } from '../../api/types/bots';
import { joinList, splitList } from '../../lib/format';
import styles from './ConfigPanel.module.css';

// The config panel's vocabulary, the draft an operator edits, and the small fields it is built from; the panel
// itself (index.tsx) owns the state, the saving and the layout.

export const TRAITS = [
  ['creativity_level', 'Creativity'],
  ['leadership_tendency', 'Leadership'],
  ['skepticism', 'Skepticism'],
  ['aggression', 'Aggression'],
  ['shyness', 'Shyness'],
] as const;
export const ENGAGEMENT = ['active', 'reactive', 'observer'];
export const COMMUNICATION = ['formal', 'casual', 'witty', 'blunt', 'poetic', 'academic', 'warm', 'terse'];
export type Tab = 'personality' | 'model' | 'costs';
export const TABS: [Tab, string][] = [
  ['personality', 'Personality'],
  ['model', 'Model'],
  ['costs', 'Costs'],
];

export interface Draft extends PersonalityConfig {
  interestsText: string;
  quirksText: string;
}

export interface CapDraft {
  tokens: number | null;
  cost: number | null;
  tokensText: string;
  costText: string;
}

export function toDraft(config: PersonalityConfig): Draft {
  return {
    personality: { ...config.personality },
    behavior: { ...config.behavior },
    model: { ...config.model },
    interestsText: joinList(config.personality.interests),
    quirksText: joinList(config.personality.quirks),
  };
}

export function fromDraft(draft: Draft): PersonalityConfig {
  return {
    personality: { ...draft.personality, interests: splitList(draft.interestsText), quirks: splitList(draft.quirksText) },
    behavior: draft.behavior,
    model: draft.model,
  };
}

export function capsOf(bot: BotSummary | undefined): CapDraft {
  const tokens = bot && bot.usage.daily_token_cap_source === 'custom' ? bot.usage.daily_token_cap : null;
  const cost = bot && bot.usage.daily_cost_cap_source === 'custom' ? bot.usage.daily_cost_cap_usd : null;
  return { tokens, cost, tokensText: tokens === null ? '' : String(tokens), costText: cost === null ? '' : String(cost) };
}

/**
 * The global default caps, as the bots on them report them (a bot's cap with source "default"); null when every bot
 * has its own, so a reset's effect is not known here.
 */
export function globalCaps(bots: readonly BotSummary[]): { tokens: number | null; cost: number | null } {
  const tokens = bots.find((b) => b.usage.daily_token_cap_source === 'default')?.usage.daily_token_cap ?? null;
  const cost = bots.find((b) => b.usage.daily_cost_cap_source === 'default')?.usage.daily_cost_cap_usd ?? null;
  return { tokens, cost };
}

/** Messages the server gave for a field, under it. */
export function FieldError({ error, field }: { error: ApiError | null; field: string }) {
  const messages = error?.errorsFor(field) ?? [];
  if (messages.length === 0) return null;
  return (
    <span class={styles.fieldError} role="alert" data-field={field}>
      {messages.join('; ')}
    </span>
  );
}

/** A number typed by the operator: null when empty or not a number the cap can be. */
export function parseCap(text: string, integer: boolean): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  return integer ? Math.trunc(value) : value;
}

export function CapField(props: {
  label: string;
  name: string;
  text: string;
  custom: boolean;
  current: number;
  currentSource: string;
  format: (n: number) => string;
  error: ApiError | null;
  integer?: boolean;
  onText: (text: string) => void;
  onReset: () => void;
}) {
  return (
    <div class={styles.cap}>
      <div class={styles.capHead}>
        <label for={`cap-${props.name}`}>{props.label}</label>
        <span class={`pill ${props.custom ? 'accent' : ''}`} data-testid={`${props.name}-source`}>
          {props.custom ? 'Custom' : 'Default (global)'}
        </span>
      </div>
      <div class={styles.capRow}>
        <input
          id={`cap-${props.name}`}
          name={props.name}
          type="number"
          step={props.integer ? 1 : 0.01}
          placeholder={props.currentSource === 'default' ? `${props.format(props.current)} (global default)` : 'global default'}
          value={props.text}
          onInput={(e) => props.onText(e.currentTarget.value)}
        />
        <button type="button" class="button small" onClick={props.onReset} disabled={!props.custom}>
          Reset to default
        </button>
      </div>
      <FieldError error={props.error} field={props.name} />
    </div>
  );
}
