import type { ApiError } from '../../api/client';
import type { PersonalityConfig } from '../../api/types/bots';
import styles from './ConfigPanel.module.css';
import { COMMUNICATION, ENGAGEMENT, FieldError, TRAITS, type Draft } from './fields';

/** The Personality tab: the behaviour traits as sliders, the styles, interests, quirks and bio. */
export function PersonalityTab({ draft, error, onChange }: { draft: Draft; error: ApiError | null; onChange: (draft: Draft) => void }) {
  const set = <S extends keyof PersonalityConfig>(section: S, key: keyof PersonalityConfig[S], value: unknown) =>
    onChange({ ...draft, [section]: { ...draft[section], [key]: value } });
  return (
    <div role="tabpanel" id="panel-personality" aria-labelledby="tab-personality" class={styles.grid}>
      <fieldset class={styles.traits}>
        <legend>Traits</legend>
        {TRAITS.map(([key, label]) => (
          <div class={styles.slider}>
            <label for={`trait-${key}`}>{label}</label>
            <input
              id={`trait-${key}`}
              name={`behavior.${key}`}
              type="range"
              min={0}
              max={100}
              step={1}
              value={draft.behavior[key]}
              onInput={(e) => set('behavior', key, Number(e.currentTarget.value))}
            />
            <output for={`trait-${key}`}>{draft.behavior[key]}</output>
            <FieldError error={error} field={`behavior.${key}`} />
          </div>
        ))}
      </fieldset>
      <div class={styles.column}>
        <label class={styles.field}>
          <span>Engagement style</span>
          <select name="behavior.engagement_style" value={draft.behavior.engagement_style} onChange={(e) => set('behavior', 'engagement_style', e.currentTarget.value)}>
            {ENGAGEMENT.map((v) => (
              <option value={v}>{v}</option>
            ))}
          </select>
          <FieldError error={error} field="behavior.engagement_style" />
        </label>
        <label class={styles.field}>
          <span>Communication style</span>
          <select
            name="personality.communication_style"
            value={draft.personality.communication_style}
            onChange={(e) => set('personality', 'communication_style', e.currentTarget.value)}
          >
            {COMMUNICATION.map((v) => (
              <option value={v}>{v}</option>
            ))}
          </select>
          <FieldError error={error} field="personality.communication_style" />
        </label>
        <label class={styles.field}>
          <span>Interests <small>comma-separated</small></span>
          <textarea name="personality.interests" rows={3} value={draft.interestsText} onInput={(e) => onChange({ ...draft, interestsText: e.currentTarget.value })} />
          <FieldError error={error} field="personality.interests" />
        </label>
        <label class={styles.field}>
          <span>Quirks <small>comma-separated</small></span>
          <textarea name="personality.quirks" rows={3} value={draft.quirksText} onInput={(e) => onChange({ ...draft, quirksText: e.currentTarget.value })} />
          <FieldError error={error} field="personality.quirks" />
        </label>
        <label class={styles.field}>
          <span>Bio</span>
          <textarea name="personality.bio" rows={3} value={draft.personality.bio} onInput={(e) => set('personality', 'bio', e.currentTarget.value)} />
          <FieldError error={error} field="personality.bio" />
        </label>
      </div>
    </div>
  );
}
