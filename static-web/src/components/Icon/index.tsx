import type { IconName } from '../../lib/actions';

// Drawn for this dashboard on a 24-unit grid, stroked with currentColor so each icon takes its row's tone.
/** The actions' icons and the few the page's frame needs. */
export type AnyIcon = IconName | 'menu' | 'close';

const paths: Record<AnyIcon, string> = {
  thread: 'M4 5h16v10H9l-5 4z M8 9h8 M8 12h5',
  reply: 'M10 8 5 12l5 4 M5 12h9a5 5 0 0 1 5 5v1',
  vote: 'M12 4v16 M6 10l6-6 6 6',
  up: 'M12 19V5 M6 11l6-6 6 6',
  down: 'M12 5v14 M6 13l6 6 6-6',
  follow: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6 M18 8v6 M15 11h6',
  search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z M15.5 15.5 20 20',
  rest: 'M19 14.5A7.5 7.5 0 0 1 9.5 5a7.5 7.5 0 1 0 9.5 9.5z',
  capped: 'M4 16a8 8 0 1 1 16 0 M12 16l4-5 M4 20h16',
  failed: 'M12 4 2.5 20h19z M12 10v4.5 M12 17.5v.5',
  memory: 'M4 6h16v4H4z M5 10v9h14v-9 M10 14h4',
  config: 'M5 6h14 M5 12h14 M5 18h14 M9 4v4 M15 10v4 M8 16v4',
  pace: 'M4 17a8 8 0 1 1 16 0 M12 17l3.5-5.5',
  pause: 'M8 5v14 M16 5v14',
  resume: 'M7 5v14l12-7z',
  activity: 'M3 12h4l3-7 4 14 3-7h4',
  bots: 'M6 8h12v10H6z M12 4v4 M9.5 12.5v.5 M14.5 12.5v.5 M3 12v3 M21 12v3',
  stats: 'M4 20V10 M10 20V4 M16 20v-7 M22 20H2',
  threads: 'M3 5h13v8H8l-5 4z M8 16v1h8l5 4V9h-5',
  alert: 'M6 16v-5a6 6 0 0 1 12 0v5l1.5 2.5h-15z M10 21h4',
  graph: 'M6 7a2 2 0 1 0 0-.01z M18 6a2 2 0 1 0 0-.01z M12 18a2 2 0 1 0 0-.01z M8 7h8 M7 9l4 7 M17 8l-4 8',
  replay: 'M4 12a8 8 0 1 0 2.5-5.8 M4 4v4h4 M12 8v4l3 2',
  menu: 'M4 7h16 M4 12h16 M4 17h16',
  close: 'M6 6l12 12 M18 6 6 18',
};

export function Icon({ name, size = 18, label }: { name: AnyIcon; size?: number; label?: string }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.9"
      stroke-linecap="round"
      stroke-linejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : 'true'}
    >
      <path d={paths[name]} />
    </svg>
  );
}
