import type { ApiError } from '../../api/client';
import type { ModelCatalog, ModelInfo, ModelSection, ProviderInfo } from '../../api/types/bots';
import type { Resource } from '../../lib/useResource';
import { FieldError } from './fields';
import styles from './ConfigPanel.module.css';

/** "$3.00 in / $15.00 out per M tokens", "free (local)", or "price unknown" when the table has no entry. */
export function priceLabel(provider: ProviderInfo | undefined, model: ModelInfo): string {
  if (!model.price_known || model.input_per_million_usd === null || model.output_per_million_usd === null) return 'price unknown';
  if (model.input_per_million_usd === 0 && model.output_per_million_usd === 0) return provider?.local ? 'free (local)' : 'free';
  return `$${model.input_per_million_usd.toFixed(2)} in / $${model.output_per_million_usd.toFixed(2)} out per M tokens`;
}

/** A price per million tokens: "$3.00", "$0.08", "$0.075" (as many decimals as the price has, at least cents). */
export function perMillion(n: number | null): string {
  if (n === null) return '—';
  const text = String(Number(n.toFixed(4)));
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  return `$${n.toFixed(Math.max(2, decimals))}`;
}

/** Why a provider cannot be chosen, in a few words: "no key: set Models:Anthropic:ApiKey (or ANTHROPIC_API_KEY) to use it". */
export function unavailableText(provider: ProviderInfo): string | null {
  if (provider.available) return null;
  const reason = provider.unavailable_reason?.replace(`model.provider '${provider.id}' `, '') ?? '';
  if (reason) return reason;
  return provider.requires_key && !provider.key_configured ? 'no key is set' : 'not available here';
}

/** Why a provider did not answer when probed, or null when it did (or is not probed, like the simulator). */
export function unreachableReason(provider: ProviderInfo | undefined): string | null {
  if (!provider || provider.reachable !== false) return null;
  return provider.reachability || `${provider.label} did not answer when last probed`;
}

/**
 * The Model tab: provider and model from GET /api/models (prices beside each model, a provider without its key
 * shown but not choosable, one that did not answer its probe marked with a warning, the offline simulator labelled
 * as simulated), a cheaper fallback model for days near the cap, temperature and max tokens.
 */
export function ModelTab({ model, catalog, error, onChange }: {
  model: ModelSection;
  catalog: Resource<ModelCatalog>;
  error: ApiError | null;
  onChange: (patch: Partial<ModelSection>) => void;
}) {
  const providers = catalog.data?.providers ?? [];
  const provider = providers.find((p) => p.id === model.provider);
  // The current choice stays listed even when the catalog no longer offers it (a model removed from settings).
  const models = provider?.models.some((m) => m.id === model.model)
    ? provider.models
    : [{ id: model.model, price_known: false } as ModelInfo, ...(provider?.models ?? [])];
  const simulated = provider?.simulated ?? model.provider === 'offline';
  const unreachable = unreachableReason(provider);
  const chooseProvider = (id: string) => {
    const next = providers.find((p) => p.id === id);
    onChange({ provider: id, model: next?.models[0]?.id ?? model.model, fallback_model: null });
  };
  return (
    <div role="tabpanel" id="panel-model" aria-labelledby="tab-model" class={styles.column}>
      {catalog.error && <p class="error">The list of models could not be read ({catalog.error}); the current choice is kept.</p>}
      <label class={styles.field}>
        <span>Provider</span>
        <select
          name="model.provider"
          value={model.provider}
          disabled={catalog.loading}
          onChange={(e) => chooseProvider(e.currentTarget.value)}
          aria-describedby={unreachable ? 'provider-unreachable' : undefined}
          aria-invalid={unreachable ? 'true' : undefined}
        >
          {provider === undefined && <option value={model.provider}>{model.provider}</option>}
          {providers.map((p) => (
            <option value={p.id} disabled={!p.available && p.id !== model.provider} title={p.unavailable_reason ?? undefined}>
              {p.label}{p.simulated ? ' (simulated)' : ''}{p.available ? (p.reachable === false ? ' — not reachable' : '') : p.requires_key && !p.key_configured ? ' — no key' : ' — not available'}
            </option>
          ))}
        </select>
        {provider?.endpoint && <small class="dim">Calls go to {provider.endpoint}</small>}
        {unreachable && (
          <span class={styles.warning} role="alert" id="provider-unreachable" data-testid="provider-unreachable">
            <strong>{provider!.label} is not reachable.</strong> {unreachable}. A bot on it will fail its heartbeats until
            the provider answers.
          </span>
        )}
        <FieldError error={error} field="model.provider" />
      </label>
      <label class={styles.field}>
        <span>Model</span>
        <select name="model.model" value={model.model} onChange={(e) => onChange({ model: e.currentTarget.value })}>
          {models.map((m) => (
            <option value={m.id}>
              {simulated ? `${m.id} (simulated)` : `${m.id} · ${priceLabel(provider, m)}`}
            </option>
          ))}
        </select>
        {simulated && <small class="dim">Answers come from the offline simulator: they are simulated, not a language model's.</small>}
        <FieldError error={error} field="model.model" />
      </label>
      {!simulated && (
        <label class={styles.field}>
          <span>Fallback model near the daily cap</span>
          <select
            name="model.fallback_model"
            value={model.fallback_model ?? ''}
            onChange={(e) => onChange({ fallback_model: e.currentTarget.value || null })}
          >
            <option value="">None: rest more often instead</option>
            {(provider?.models ?? []).filter((m) => m.id !== model.model).map((m) => (
              <option value={m.id}>{m.id} · {priceLabel(provider, m)}</option>
            ))}
          </select>
          <FieldError error={error} field="model.fallback_model" />
        </label>
      )}
      <div class={styles.slider}>
        <label for="model-temperature">Temperature</label>
        <input
          id="model-temperature"
          name="model.temperature"
          type="range"
          min={0}
          max={1}
          step={0.1}
          value={model.temperature}
          onInput={(e) => onChange({ temperature: Math.round(Number(e.currentTarget.value) * 10) / 10 })}
        />
        <output for="model-temperature">{model.temperature.toFixed(1)}</output>
        <FieldError error={error} field="model.temperature" />
      </div>
      <label class={styles.field}>
        <span>Max tokens per answer</span>
        <input
          name="model.max_tokens"
          type="number"
          inputMode="numeric"
          value={String(model.max_tokens)}
          onInput={(e) => onChange({ max_tokens: e.currentTarget.value === '' ? 0 : Number(e.currentTarget.value) })}
        />
        <FieldError error={error} field="model.max_tokens" />
      </label>
      {providers.length > 0 && <PriceTable providers={providers} model={model} onChoose={(provider, id) => onChange({ provider, model: id, fallback_model: provider === model.provider ? model.fallback_model : null })} />}
    </div>
  );
}

/**
 * Every provider's models with their prices per million tokens, whether or not it can be chosen here: one that
 * cannot (no key, not configured) is greyed with the reason, so its cost can be weighed before setting it up.
 */
function PriceTable({ providers, model, onChoose }: { providers: ProviderInfo[]; model: ModelSection; onChoose: (provider: string, model: string) => void }) {
  return (
    <section class={styles.prices} aria-labelledby="prices-title" data-testid="price-table">
      <h3 id="prices-title">Prices of every provider <small>US dollars per million tokens</small></h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" class={styles.num}>Input</th>
            <th scope="col" class={styles.num}>Cached input</th>
            <th scope="col" class={styles.num}>Output</th>
            <th scope="col"><span class="visually-hidden">Choose</span></th>
          </tr>
        </thead>
        {providers.map((p) => {
          const why = unavailableText(p);
          return (
            <tbody class={why ? styles.unavailable : undefined} data-provider={p.id} data-available={String(p.available)}>
              <tr class={styles.providerRow}>
                <th scope="colgroup" colSpan={5}>
                  {p.label}
                  {p.simulated && <span class="pill accent">simulated</span>}
                  {why ? <span class={styles.why} data-testid={`unavailable-${p.id}`}>cannot be chosen: {why}</span> : p.reachable === false ? <span class={styles.why}>not reachable: {unreachableReason(p)}</span> : null}
                </th>
              </tr>
              {p.models.map((m) => {
                const current = p.id === model.provider && m.id === model.model;
                const known = m.price_known && m.input_per_million_usd !== null;
                return (
                  <tr aria-current={current ? 'true' : undefined} class={current ? styles.current : undefined}>
                    <td class={styles.modelName}>{m.id}{current && <span class="pill good">current</span>}</td>
                    {known ? (
                      <>
                        <td class={styles.num}>{perMillion(m.input_per_million_usd)}</td>
                        <td class={styles.num}>{perMillion(m.cached_input_per_million_usd)}</td>
                        <td class={styles.num}>{perMillion(m.output_per_million_usd)}</td>
                      </>
                    ) : (
                      <td class={styles.num} colSpan={3}>price unknown</td>
                    )}
                    <td class={styles.choose}>
                      {!why && !current && (
                        <button type="button" class="button small" onClick={() => onChoose(p.id, m.id)} aria-label={`Use ${m.id} from ${p.label}`}>
                          Use
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          );
        })}
      </table>
    </section>
  );
}
