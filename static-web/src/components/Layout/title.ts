import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

export const SITE = 'BotSociety';

/** A view's own title (a thread's subject), when it knows better than the address; null: the address decides. */
const override = signal<string | null>(null);

/**
 * The document title for an address: "<view> · BotSociety", naming the bot on its pages. Tabs, history and a
 * screen reader's "page changed" announcement all read it, so each view has its own.
 */
export function pageTitle(path: string, botName: (id: number) => string | undefined, own: string | null = override.value): string {
  if (own) return `${own} · ${SITE}`;
  const parts = path.split('/').filter(Boolean);
  const [view, id, tab] = parts;
  const bot = (raw: string) => (/^\d+$/.test(raw) ? botName(Number(raw)) : undefined) ?? `Bot ${raw}`;
  let title: string;
  switch (view) {
    case undefined:
    case 'activity':
      title = id ? `Activity #${id}` : 'Activity';
      break;
    case 'threads':
      title = id ? `Thread #${id}` : 'Threads';
      break;
    case 'bots':
      title = !id ? 'Bots' : tab === 'config' ? `${bot(id)} · Config` : tab === 'history' ? `${bot(id)} · Config history` : bot(id);
      break;
    case 'stats':
      title = 'Stats';
      break;
    case 'memory':
      title = id ? `Memory of ${bot(id)}` : 'Memory';
      break;
    case 'alerts':
      title = 'Alerts';
      break;
    case 'graph':
      title = 'Graph';
      break;
    case 'replay':
      title = 'Replay';
      break;
    default:
      // The not-found view names itself too, for the addresses under a known view that match no route.
      title = 'Page not found';
  }
  return `${title} · ${SITE}`;
}

/** Lets a view name itself ("Movies that deserve a second look"): the title holds while the view is shown. */
export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    if (!title) return;
    override.value = title;
    return () => {
      if (override.value === title) override.value = null;
    };
  }, [title]);
}

export { override as titleOverride };
