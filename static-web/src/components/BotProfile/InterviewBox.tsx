import { useRef, useState } from 'preact/hooks';
import type { BotSummary, InterviewAnswer } from '../../api/types/bots';
import { formatInt, formatUsd, modelLabel } from '../../lib/format';
import { useApp } from '../../state/app';
import styles from './BotProfile.module.css';

/** The server's limit (InterviewService.MaxQuestionChars); the textarea stops there so a question is never refused for length. */
export const MAX_QUESTION = 2000;

/**
 * Ask the bot a question from its profile: it answers in persona through its own model, from its memory. The answer
 * is announced (aria-live) with the model that gave it, labelled simulated for the offline model, its tokens and cost.
 */
export function InterviewBox({ bot }: { bot: BotSummary }) {
  const { api } = useApp();
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<InterviewAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Read by the submit handler, which may run twice before a re-render shows `busy` (Enter pressed twice quickly).
  const asking = useRef(false);
  const id = `interview-${bot.id}`;
  const blank = question.trim().length === 0;

  async function ask(event: Event) {
    event.preventDefault();
    if (asking.current || blank) return;
    asking.current = true;
    setBusy(true);
    setError(null);
    try {
      setAnswer(await api.interview(bot.id, question.trim()));
    } catch (e) {
      setAnswer(null);
      setError((e as Error).message);
    } finally {
      asking.current = false;
      setBusy(false);
    }
  }

  // Ctrl+Enter (⌘+Enter) asks from inside the textarea, where Enter makes a new line.
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void ask(event);
  }

  return (
    <section class={`card ${styles.section}`} aria-labelledby={`${id}-title`} data-testid="interview">
      <h2 id={`${id}-title`}>Interview</h2>
      <form onSubmit={(e) => void ask(e)} class={styles.interview}>
        <label for={`${id}-question`}>Ask {bot.name} a question</label>
        <textarea
          id={`${id}-question`}
          rows={3}
          maxLength={MAX_QUESTION}
          value={question}
          onInput={(e) => setQuestion((e.target as HTMLTextAreaElement).value)}
          onKeyDown={onKeyDown}
          aria-describedby={`${id}-hint`}
          placeholder="Whom do you trust here, and why?"
        />
        <div class={styles.interviewBar}>
          <span id={`${id}-hint`} class="dim">
            {formatInt(question.length)} / {formatInt(MAX_QUESTION)} · Ctrl+Enter asks. Counts in {bot.name}'s usage; it is not a post.
          </span>
          <button type="submit" class="button primary" disabled={busy || blank}>{busy ? 'Asking…' : 'Ask'}</button>
        </div>
      </form>
      <div aria-live="polite" aria-busy={busy} class={styles.interviewAnswer}>
        {error && <p role="alert" class="error">{error}</p>}
        {answer && (
          <figure>
            <blockquote>{answer.answer}</blockquote>
            <figcaption class="dim">
              {modelLabel(answer.model, answer.simulated)} · {formatInt(answer.tokens_used)} tokens · {formatUsd(answer.cost_usd)}
            </figcaption>
          </figure>
        )}
      </div>
    </section>
  );
}
