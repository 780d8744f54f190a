import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBoundary, lazy, useLocation } from 'preact-iso';
import type { IconName } from '../../lib/actions';
import { useApp } from '../../state/app';
import { ConnectionBadge } from '../ConnectionBadge';
import { FunctionKey } from './FunctionKey';
import { Icon } from '../Icon';
import { PaceControl } from '../PaceControl';
import { pageTitle, titleOverride } from './title';
import styles from './Layout.module.css';

// Loaded only when an alert fires: most visits never need its code.
const AlertBanner = lazy(() => import('../AlertBanner').then((m) => m.AlertBanner));

const nav: { href: string; label: string; icon: IconName }[] = [
  { href: '/activity', label: 'Activity', icon: 'activity' },
  { href: '/threads', label: 'Threads', icon: 'threads' },
  { href: '/bots', label: 'Bots', icon: 'bots' },
  { href: '/stats', label: 'Stats', icon: 'stats' },
  { href: '/graph', label: 'Graph', icon: 'graph' },
  { href: '/replay', label: 'Replay', icon: 'replay' },
  { href: '/memory', label: 'Memory', icon: 'memory' },
  { href: '/alerts', label: 'Alerts', icon: 'alert' },
];

/** Below this width the sidebar is a drawer behind the header's Menu button (Layout.module.css has the same figure). */
const NARROW = '(max-width: 1023px)';

/**
 * Sidebar routes on the left, the society's controls on top, the view below. On a tablet or a phone the sidebar is a
 * drawer: the header's Menu button opens it, Escape, its Close button, the backdrop or a chosen view close it; while
 * it is open the rest of the page is inert, so focus and a screen reader stay in it.
 */
export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const { alerts, bots } = useApp();
  const firing = alerts.active.value.length;
  const current = (href: string) => path === href || path.startsWith(`${href}/`) || (href === '/activity' && path === '/');
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const drawer = useRef<HTMLElement>(null);
  const main = useRef<HTMLElement>(null);
  // Where focus goes when the drawer closes: back to Menu, or to the view a link in the drawer opened.
  const focusAfterClose = useRef<'menu' | 'main'>('menu');

  const title = pageTitle(path, (id) => bots.byId.value.get(id)?.name, titleOverride.value);
  useEffect(() => {
    document.title = title;
  }, [title]);

  const close = (then: 'menu' | 'main') => {
    focusAfterClose.current = then;
    setOpen(false);
  };

  // A new view closes the drawer (a link in it was chosen) and takes the focus there.
  const shownPath = useRef(path);
  useEffect(() => {
    if (shownPath.current === path) return;
    shownPath.current = path;
    if (open) close('main');
  }, [path]);

  useEffect(() => {
    if (!open) return;
    drawer.current?.querySelector<HTMLElement>('[data-drawer-first]')?.focus();
    const onKey = (e: KeyboardEvent) => {
      // An open dialog in the drawer (the function key) takes its own Escape first.
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        close('menu');
      }
    };
    // Grown past the breakpoint (a rotated tablet), the drawer is the sidebar again and nothing stays inert.
    const wide = window.matchMedia(NARROW);
    const onWide = () => !wide.matches && close('main');
    document.addEventListener('keydown', onKey);
    wide.addEventListener('change', onWide);
    document.documentElement.classList.add(styles.locked);
    return () => {
      document.removeEventListener('keydown', onKey);
      wide.removeEventListener('change', onWide);
      document.documentElement.classList.remove(styles.locked);
      if (focusAfterClose.current === 'main') main.current?.focus({ preventScroll: true });
      else menuButton.current?.focus();
    };
  }, [open]);

  return (
    <div class={`${styles.shell} ${open ? styles.open : ''}`}>
      <a class={styles.skip} href="#main" inert={open}>
        Skip to content
      </a>
      <aside class={styles.sidebar} id="sidebar" ref={drawer} aria-label="Views and settings">
        <div class={styles.drawerHead}>
          <a class={styles.brand} href="/activity">
            <img src="/favicon.svg" alt="" width={30} height={30} />
            <span>BotSociety</span>
          </a>
          <button type="button" class={styles.close} onClick={() => close('menu')} data-drawer-first>
            <Icon name="close" size={20} />
            <span class="visually-hidden">Close the menu</span>
          </button>
        </div>
        <nav aria-label="Views">
          <ul>
            {nav.map((item) => (
              <li>
                <a href={item.href} aria-current={current(item.href) ? 'page' : undefined} onClick={() => current(item.href) && open && close('main')}>
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
      <div class={styles.backdrop} onClick={() => close('menu')} aria-hidden="true" />
      <div class={styles.main} inert={open}>
        <header class={styles.header}>
          <button
            type="button"
            class={styles.menu}
            ref={menuButton}
            aria-expanded={open}
            aria-controls="sidebar"
            onClick={() => setOpen(true)}
            data-testid="menu"
          >
            <Icon name="menu" size={20} />
            Menu
            {firing > 0 && (
              <span class={styles.count}>
                {firing}
                <span class="visually-hidden"> alert{firing === 1 ? '' : 's'} firing</span>
              </span>
            )}
          </button>
          <a class={styles.headerBrand} href="/activity">
            <img src="/favicon.svg" alt="" width={26} height={26} />
            <span>BotSociety</span>
          </a>
          <PaceControl />
          <ConnectionBadge />
        </header>
        {firing > 0 && (
          <ErrorBoundary>
            <AlertBanner />
          </ErrorBoundary>
        )}
        <main id="main" tabIndex={-1} ref={main}>
          {children}
        </main>
      </div>
    </div>
  );
}
