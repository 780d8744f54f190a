import { describe, expect, it } from 'vitest';
import type { ModelInfo, ProviderInfo } from '../../api/types/bots';
import { perMillion, priceLabel, unavailableText } from './ModelTab';

const provider = (local: boolean) => ({ id: 'p', local, simulated: false } as ProviderInfo);
const model = (input: number | null, output: number | null, known = true): ModelInfo => ({
  id: 'm', price_known: known, input_per_million_usd: input, output_per_million_usd: output,
  cached_input_per_million_usd: null, price_effective_date: null, price_source: null,
});

describe('the price beside each model', () => {
  it('shows dollars per million tokens in and out', () => {
    expect(priceLabel(provider(false), model(3, 15))).toBe('$3.00 in / $15.00 out per M tokens');
  });
  it('says when a model has no price rather than showing zero', () => {
    expect(priceLabel(provider(false), model(null, null, false))).toBe('price unknown');
  });
  it('calls a local model free', () => {
    expect(priceLabel(provider(true), model(0, 0))).toBe('free (local)');
  });
});

describe('the price table', () => {
  it('writes a price per million tokens with at least cents, and more when the price has them', () => {
    expect(perMillion(3)).toBe('$3.00');
    expect(perMillion(0.08)).toBe('$0.08');
    expect(perMillion(0.075)).toBe('$0.075');
    expect(perMillion(0)).toBe('$0.00');
    expect(perMillion(null)).toBe('—');
  });
  it('says why a provider cannot be chosen', () => {
    const base = { id: 'anthropic', label: 'Anthropic', available: false, requires_key: true, key_configured: false } as ProviderInfo;
    expect(unavailableText({ ...base, unavailable_reason: "model.provider 'anthropic' has no key: set ANTHROPIC_API_KEY to use it" })).toBe('has no key: set ANTHROPIC_API_KEY to use it');
    expect(unavailableText({ ...base, unavailable_reason: null })).toBe('no key is set');
    expect(unavailableText({ ...base, available: true, unavailable_reason: null })).toBeNull();
  });
});
