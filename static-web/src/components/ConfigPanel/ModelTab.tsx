import type { ApiError } from '../../api/client';
import type { ModelSection } from '../../api/types';
import { FieldError, PROVIDERS } from './fields';
import styles from './ConfigPanel.module.css';

/** The Model tab: provider and model (the offline simulator labelled as simulated), temperature, max tokens. */
export function ModelTab({ model, simulated, error, onChange }: {
  model: ModelSection;
  simulated: boolean;
  error: ApiError | null;
  onChange: (key: keyof ModelSection, value: unknown) => void;
}) {
  const provider = PROVIDERS.find((p) => p.value === model.provider);
  const models = provider?.models.length ? provider.models : [{ value: model.model, label: model.model }];
  return (
    <div role="tabpanel" id="panel-model" aria-labelledby="tab-model" class={styles.column}>
      <label class={styles.field}>
        <span>Provider</span>
        <select name="model.provider" value={model.provider} onChange={(e) => onChange('provider', e.currentTarget.value)}>
          {PROVIDERS.map((p) => (
            <option value={p.value} disabled={p.disabled}>
              {p.label}
            </option>
          ))}
        </select>
        <FieldError error={error} field="model.provider" />
      </label>
      <label class={styles.field}>
        <span>Model</span>
        <select name="model.model" value={model.model} onChange={(e) => onChange('model', e.currentTarget.value)}>
          {models.map((m) => (
            <option value={m.value}>{m.label}</option>
          ))}
        </select>
        {simulated && <small class="dim">Answers come from the offline simulator: they are simulated, not a language model's.</small>}
        <FieldError error={error} field="model.model" />
      </label>
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
          onInput={(e) => onChange('temperature', Math.round(Number(e.currentTarget.value) * 10) / 10)}
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
          onInput={(e) => onChange('max_tokens', e.currentTarget.value === '' ? 0 : Number(e.currentTarget.value))}
        />
        <FieldError error={error} field="model.max_tokens" />
      </label>
    </div>
  );
}
