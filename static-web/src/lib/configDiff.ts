import type { ConfigPatch, PersonalityConfig } from '../api/types/bots';

/** The value at a dotted path such as "behavior.skepticism" (history rows name their fields this way). */
export function valueAt(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The partial update that turns `saved` into `draft`: only the fields the operator changed, so a save never
 * overwrites a field someone else changed meanwhile with a stale copy.
 */
export function configPatch(saved: PersonalityConfig, draft: PersonalityConfig): ConfigPatch {
  const patch: ConfigPatch = {};
  for (const section of ['personality', 'behavior', 'model'] as const) {
    const changed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(draft[section])) {
      if (!same(value, (saved[section] as unknown as Record<string, unknown>)[key])) changed[key] = value;
    }
    if (Object.keys(changed).length > 0) (patch as Record<string, unknown>)[section] = changed;
  }
  return patch;
}

/** "behavior.skepticism", … for a patch: what the confirmation lists. */
export function patchFields(patch: ConfigPatch): string[] {
  return Object.entries(patch).flatMap(([section, fields]) => Object.keys(fields ?? {}).map((f) => `${section}.${f}`));
}

/** A config value as one short line: lists joined, numbers as they are. */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.join(', ');
  // A cap as the history keeps it: its effective value and whether it is the bot's own or the global default.
  if (typeof value === 'object' && 'value' in value && 'source' in value) {
    const cap = value as { value: unknown; source: unknown };
    return `${showValue(cap.value)} (${cap.source === 'default' ? 'default' : 'custom'})`;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
