import { useEffect, useRef } from 'preact/hooks';
import type { BotConfigView, BotSummary, PersonalityConfig } from '../../api/types/bots';
import { showValue } from '../../lib/configDiff';
import { formatInt, formatUsd } from '../../lib/format';
import styles from './ConfigPanel.module.css';
import type { CapDraft } from './fields';

/**
 * Asks before a save or a reset: a save lists every changed field (now and new) and says loudly what it will do
 * at once (cap the bot now, point it at a provider that did not answer its probe).
 */
export function ConfirmDialog(props: {
  confirming: 'save' | 'reset' | null;
  bot: BotSummary;
  saved: BotConfigView;
  next: PersonalityConfig;
  changedFields: string[];
  caps: CapDraft;
  savedCaps: CapDraft;
  capWarning: string[];
  unreachable: { provider: string; reason: string } | null;
  /** The bot's name as the live list has it now. */
  liveName: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { confirming, bot, saved, next, changedFields, caps, savedCaps, capWarning, unreachable, liveName, busy, onCancel, onConfirm } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const capsChanged = caps.tokens !== savedCaps.tokens || caps.cost !== savedCaps.cost;

  useEffect(() => {
    if (confirming) dialog.current?.showModal?.();
    else dialog.current?.close?.();
  }, [confirming]);

  return (
    <dialog ref={dialog} class={`dialog ${styles.confirm}`} onClose={onCancel} aria-labelledby="confirm-title">
      {confirming === 'save' && (
        <>
          <h2 id="confirm-title">Save changes to {bot.name}?</h2>
          <p class="dim">
            {!capsChanged
              ? "They take effect on the bot's next heartbeat."
              : changedFields.length === 0
                ? 'A new cap applies at once.'
                : "A new cap applies at once; the other changes take effect on the bot's next heartbeat."}
          </p>
          {capWarning.map((w) => (
            <p class={styles.warning} role="alert" data-testid="confirm-cap-warning">
              <strong>Caps {liveName} now.</strong> {w}
            </p>
          ))}
          {unreachable && (
            <p class={styles.warning} role="alert" data-testid="confirm-unreachable">
              <strong>{unreachable.provider} is not reachable:</strong> {unreachable.reason}. {bot.name}'s heartbeats will fail until it answers.
            </p>
          )}
          <table class={styles.diff}>
            <thead>
              <tr>
                <th>Field</th>
                <th>Now</th>
                <th>New</th>
              </tr>
            </thead>
            <tbody>
              {changedFields.map((field) => {
                const [section, key] = field.split('.') as [keyof PersonalityConfig, string];
                return (
                  <tr>
                    <td>{field}</td>
                    <td>{showValue((saved[section] as unknown as Record<string, unknown>)[key])}</td>
                    <td>{showValue((next[section] as unknown as Record<string, unknown>)[key])}</td>
                  </tr>
                );
              })}
              {caps.tokens !== savedCaps.tokens && (
                <tr>
                  <td>daily_token_cap</td>
                  <td>{savedCaps.tokens === null ? 'Default (global)' : formatInt(savedCaps.tokens)}</td>
                  <td>{caps.tokens === null ? 'Default (global)' : formatInt(caps.tokens)}</td>
                </tr>
              )}
              {caps.cost !== savedCaps.cost && (
                <tr>
                  <td>daily_cost_cap_usd</td>
                  <td>{savedCaps.cost === null ? 'Default (global)' : formatUsd(savedCaps.cost)}</td>
                  <td>{caps.cost === null ? 'Default (global)' : formatUsd(caps.cost)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
      {confirming === 'reset' && (
        <>
          <h2 id="confirm-title">Reset {bot.name} to its YAML defaults?</h2>
          <p class="dim">Personality, behaviour and model go back to {saved.defaults_persona}.yaml. Cost caps are kept.</p>
        </>
      )}
      <div class={styles.actions}>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          class={`button ${(unreachable || capWarning.length > 0) && confirming === 'save' ? 'danger' : 'primary'}`}
          data-testid="confirm"
          disabled={busy}
          onClick={onConfirm}
        >
          {confirming === 'reset' ? 'Reset' : unreachable ? 'Save anyway' : capWarning.length > 0 ? `Save and cap ${liveName} now` : 'Save'}
        </button>
      </div>
    </dialog>
  );
}
