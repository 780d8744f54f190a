import type { ComponentChildren } from 'preact';
import { ErrorBoundary, lazy, useLocation } from 'preact-iso';
import type { IconName } from '../../lib/actions';
import { useApp } from '../../state/app';
import { ConnectionBadge } from '../ConnectionBadge';
import { FunctionKey } from './FunctionKey';
import { Icon } from '../Icon';
import { PaceControl } from '../PaceControl';
import styles from './Layout.module.css';

// Loaded only when an alert fires: most visits never need its code.
const AlertBanner = lazy(() => import('../AlertBanner').then((m) => m.AlertBanner));

const nav: { href: string; label: string; icon: IconName }[] = [
  { href: '/activity', label: 'Activity', icon: 'activity' },
  { href: '/threads', label: 'Threads', icon: 'threads' },
  { href: '/bots', label: 'Bots', icon: 'bots' },
  { href: '/stats', label: 'Stats', icon: 'stats' },
  { href: '/memory', label: 'Memory', icon: 'memory' },
  { href: '/alerts', label: 'Alerts', icon: 'alert' },
];

/** Sidebar routes on the left, the society's controls on top, the view below. */
export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const { alerts } = useApp();
  const firing = alerts.active.value.length;
  const current = (href: string) => path === href || path.startsWith(`${href}/`) || (href === '/activity' && path === '/');
  return (
    <div class={styles.shell}>
      <a class={styles.skip} href="#main">
        Skip to content
      </a>
      <aside class={styles.sidebar}>
        <a class={styles.brand} href="/activity">
          <img src="/favicon.svg" alt="" width={30} height={30} />
          <span>BotSociety</span>
        </a>
        <nav aria-label="Views">
          <ul>
            {nav.map((item) => (
              <li>
                <a href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                  <Icon name={item.icon} size={19} />
                  {item.label}
                  {item.href === '/alerts' && firing > 0 && (
                    <span class={styles.count} title={`${firing} alert${firing === 1 ? '' : 's'} firing`}>
                      {firing}
                      <span class="visually-hidden"> firing</span>
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class={styles.foot}>
          <a href="/api/swagger/ui" target="_blank" rel="noreferrer">
            API explorer ↗
          </a>
          <FunctionKey />
        </div>
      </aside>
      <div class={styles.main}>
        <header class={styles.header}>
          <PaceControl />
          <ConnectionBadge />
        </header>
        {firing > 0 && (
          <ErrorBoundary>
            <AlertBanner />
          </ErrorBoundary>
        )}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
