import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import type { BotConfigView, BotSummary } from '../../api/types/bots';
import { configPatch, patchFields } from '../../lib/configDiff';
import { capWarnings } from '../../lib/capText';
import { formatInt, formatUsd } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { useApp } from '../../state/app';
import { ErrorState, Loading } from '../States';
import styles from './ConfigPanel.module.css';
import { ConfirmDialog } from './ConfirmDialog';
import { ModelTab, unreachableReason } from './ModelTab';
import { PersonalityTab } from './PersonalityTab';
import { CapField, TABS, capsOf, fromDraft, globalCaps, parseCap, toDraft, type CapDraft, type Draft, type Tab } from './fields';

/**
 * A bot's configuration: personality, model and cost caps. Changes are sent as a partial update with the version
 * they were made on (If-Match), so an edit made meanwhile elsewhere is reported (412) instead of overwritten.
 */
export function ConfigPanel({ bot }: { bot: BotSummary }) {
  const { api, bots, stream } = useApp();
  const [tab, setTab] = useState<Tab>('personality');
  const [saved, setSaved] = useState<BotConfigView | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [caps, setCaps] = useState<CapDraft>(() => capsOf(bot));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<'save' | 'reset' | null>(null);
  // The providers and models on offer (with whether each answered its probe), for the Model tab and the confirmation.
  const catalog = useResource((signal) => api.models(signal), []);

  async function load() {
    setLoadError(null);
    try {
      const result = await api.config(bot.id);
      setSaved(result.data);
      setEtag(result.etag);
      setDraft(toDraft(result.data));
      setCaps(capsOf(bots.byId.value.get(bot.id) ?? bot));
      setConflict(null);
      setError(null);
    } catch (e) {
      setLoadError((e as Error).message);
    }
  }

  useEffect(() => {
    void load();
  }, [bot.id]);

  const next = draft ? fromDraft(draft) : null;
  const patch = saved && next ? configPatch(saved, next) : {};
  const changedFields = patchFields(patch);
  const savedCaps = capsOf(bots.byId.value.get(bot.id) ?? bot);
  const capsChanged = caps.tokens !== savedCaps.tokens || caps.cost !== savedCaps.cost;
  const capsInvalid = (caps.tokensText !== '' && caps.tokens === null) || (caps.costText !== '' && caps.cost === null);
  // A cap at or below what the bot used today caps it the moment it is saved: said beside the field and in the dialog.
  const live = bots.byId.value.get(bot.id) ?? bot;
  const defaults = globalCaps(bots.bots.value);
  const capWarning = capWarnings({
    name: live.name,
    tokensToday: live.usage.input_tokens + live.usage.output_tokens,
    costTodayUsd: live.usage.estimated_cost_usd,
    tokenCap: caps.tokens === savedCaps.tokens ? null : caps.tokens ?? defaults.tokens,
    costCapUsd: caps.cost === savedCaps.cost ? null : caps.cost ?? defaults.cost,
  });
  const dirty = changedFields.length > 0 || capsChanged;

  // Someone else's change to this bot: reload if we have nothing to lose, else warn before they collide. Our own
  // saves come back as events too; their version is one we already hold, so they are not someone else's.
  const knownVersion = useRef(0);
  knownVersion.current = saved?.version ?? 0;
  const dirtyNow = useRef(false);
  dirtyNow.current = dirty;
  // The event of our own save can arrive before the save's answer does.
  const saving = useRef(false);
  useEffect(
    () =>
      stream.subscribe((added) => {
        const change = added.find((item) => item.type === 'config_updated' && item.botId === bot.id && item.action !== 'cost_cap_changed');
        if (!change || saving.current) return;
        const version = change.details.version;
        if (typeof version === 'number' && version <= knownVersion.current) return;
        if (!dirtyNow.current) void load();
        else setConflict('Someone else changed this config while you were editing it. Saving will be refused until you reload it.');
      }),
    [bot.id],
  );

  if (loadError) return <ErrorState message={loadError} onRetry={load} />;
  if (!saved || !draft) return <Loading label="Loading the config…" />;

  // A model change onto a provider that did not answer its probe is allowed, but said loudly before it is saved.
  const chosenProvider = catalog.data?.providers.find((p) => p.id === draft.model.provider);
  const unreachable = changedFields.some((f) => f.startsWith('model.')) ? unreachableReason(chosenProvider) : null;

  async function save() {
    saving.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (changedFields.length > 0) {
        const result = await api.saveConfig(bot.id, patch, etag);
        setSaved(result.data);
        setEtag(result.etag);
        setDraft(toDraft(result.data));
      }
      if (capsChanged) {
        await api.setCostCap(bot.id, { daily_token_cap: caps.tokens, daily_cost_cap_usd: caps.cost });
        await bots.load();
      }
      setNotice('Saved. The bot uses it from its next heartbeat.');
    } catch (e) {
      handle(e as Error);
    } finally {
      saving.current = false;
      setBusy(false);
      setConfirming(null);
    }
  }

  async function resetToDefaults() {
    saving.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const result = await api.resetConfig(bot.id, etag);
      setSaved(result.data);
      setEtag(result.etag);
      setDraft(toDraft(result.data));
      setNotice(`Reset to the defaults in ${result.data.defaults_persona}.yaml.`);
    } catch (e) {
      handle(e as Error);
    } finally {
      saving.current = false;
      setBusy(false);
      setConfirming(null);
    }
  }

  function handle(e: Error) {
    if (e instanceof ApiError && e.status === 412) {
      setConflict(`${e.message}`);
    } else if (e instanceof ApiError) {
      setError(e);
      // Open the tab that holds the first field the server named, so its message is on screen.
      const first = Object.keys(e.fieldErrors)[0] ?? '';
      if (first.startsWith('model.')) setTab('model');
      else if (first.startsWith('daily_')) setTab('costs');
      else if (first) setTab('personality');
    } else {
      setError(new ApiError(0, e.message));
    }
  }


  return (
    <div class={styles.panel}>
      {conflict && (
        <div class={styles.conflict} role="alert" data-testid="config-conflict">
          <strong>This config changed elsewhere.</strong> {conflict}
          <div class={styles.bannerActions}>
            <button type="button" class="button small" onClick={load}>
              Reload (discard my edits)
            </button>
          </div>
        </div>
      )}
      {error && Object.keys(error.fieldErrors).length === 0 && (
        <div class={styles.error} role="alert">
          {error.message}
        </div>
      )}
      {error && Object.keys(error.fieldErrors).length > 0 && (
        <div class={styles.error} role="alert">
          The server did not accept {Object.keys(error.fieldErrors).length === 1 ? 'a value' : 'some values'}; see the
          marked {Object.keys(error.fieldErrors).length === 1 ? 'field' : 'fields'}.
        </div>
      )}
      {notice && (
        <div class={styles.notice} role="status">
          {notice}
        </div>
      )}

      <div class="tabs" role="tablist" aria-label="Config sections">
        {TABS.map(([key, label]) => (
          <button
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`panel-${key}`}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>

      <form
        class={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          if (dirty && !capsInvalid) setConfirming('save');
        }}
      >
        {tab === 'personality' && <PersonalityTab draft={draft} error={error} onChange={setDraft} />}

        {tab === 'model' && (
          <ModelTab model={draft.model} catalog={catalog} error={error} onChange={(patch) => setDraft({ ...draft, model: { ...draft.model, ...patch } })} />
        )}

        {tab === 'costs' && (
          <div role="tabpanel" id="panel-costs" aria-labelledby="tab-costs" class={styles.column}>
            <CapField
              label="Daily token cap"
              name="daily_token_cap"
              text={caps.tokensText}
              custom={caps.tokens !== null || caps.tokensText !== ''}
              current={bot.usage.daily_token_cap}
              currentSource={bot.usage.daily_token_cap_source}
              format={formatInt}
              error={error}
              integer
              onText={(text) => setCaps({ ...caps, tokensText: text, tokens: parseCap(text, true) })}
              onReset={() => setCaps({ ...caps, tokensText: '', tokens: null })}
            />
            <CapField
              label="Daily cost cap (USD)"
              name="daily_cost_cap_usd"
              text={caps.costText}
              custom={caps.cost !== null || caps.costText !== ''}
              current={bot.usage.daily_cost_cap_usd}
              currentSource={bot.usage.daily_cost_cap_source}
              format={formatUsd}
              error={error}
              onText={(text) => setCaps({ ...caps, costText: text, cost: parseCap(text, false) })}
              onReset={() => setCaps({ ...caps, costText: '', cost: null })}
            />
            <div aria-live="polite">
              {capWarning.map((w) => <p class={styles.warning} data-testid="cap-warning">{w}</p>)}
            </div>
            <p class="dim">
              An empty cap uses the global default. Today {live.name} has used {formatInt(live.usage.input_tokens + live.usage.output_tokens)} tokens and
              spent {formatUsd(live.usage.estimated_cost_usd)}; a cap at or below that stops {live.name} at once, until 00:00 UTC.
            </p>
          </div>
        )}

        <div class={styles.actions}>
          <button type="button" class="button danger" onClick={() => setConfirming('reset')} disabled={busy}>
            Reset to YAML defaults
          </button>
          <span class="dim">{dirty ? `${changedFields.length + (capsChanged ? 1 : 0)} unsaved change${changedFields.length + (capsChanged ? 1 : 0) === 1 ? '' : 's'}` : `Version ${saved.version}`}</span>
          <button type="button" class="button" disabled={!dirty || busy} onClick={() => { setDraft(toDraft(saved)); setCaps(savedCaps); setError(null); }}>
            Discard
          </button>
          <button type="submit" class="button primary" disabled={!dirty || busy || capsInvalid}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>

      <ConfirmDialog
        confirming={confirming}
        bot={bot}
        saved={saved}
        next={next!}
        changedFields={changedFields}
        caps={caps}
        savedCaps={savedCaps}
        capWarning={capWarning}
        unreachable={unreachable && chosenProvider ? { provider: chosenProvider.label, reason: unreachable } : null}
        liveName={live.name}
        busy={busy}
        onCancel={() => setConfirming(null)}
        onConfirm={() => (confirming === 'reset' ? resetToDefaults() : save())}
      />
    </div>
  );
}
