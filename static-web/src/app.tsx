import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import { ErrorBoundary, lazy, LocationProvider, Route, Router } from 'preact-iso';
import { exec } from 'preact-iso/router';
import { Layout } from './components/Layout';
import { ActivityView } from './components/Activity';
import { NotFound } from './components/NotFound';
import { AppContext, type AppModels } from './state/app';

// Activity is the landing view and ships in the first bundle; the rest load when first visited, which keeps
// uPlot and the config panel out of the first download.
const ThreadsView = lazy(() => import('./components/Threads').then((m) => m.ThreadsView));
const ThreadView = lazy(() => import('./components/Thread').then((m) => m.ThreadView));
const BotsView = lazy(() => import('./components/Bots').then((m) => m.BotsView));
const BotProfile = lazy(() => import('./components/BotProfile').then((m) => m.BotProfile));
const StatsView = lazy(() => import('./components/Stats').then((m) => m.StatsView));
const MemoryView = lazy(() => import('./components/Memory').then((m) => m.MemoryView));
const ActivityDetail = lazy(() => import('./components/ActivityDetail').then((m) => m.ActivityDetail));
const AlertsView = lazy(() => import('./components/Alerts').then((m) => m.AlertsView));
// d3-force comes with these two only: the first download stays as it was.
const GraphView = lazy(() => import('./components/Graph').then((m) => m.GraphView));
const ReplayView = lazy(() => import('./components/Replay').then((m) => m.ReplayView));

type View = ComponentType<any> & { preload?: () => Promise<unknown> };

// The routes, in the order the router tries them; the last is the page for any other address.
const routes: { path: string; view: View }[] = [
  { path: '/', view: ActivityView },
  { path: '/activity', view: ActivityView },
  { path: '/activity/:id', view: ActivityDetail },
  { path: '/threads', view: ThreadsView },
  { path: '/threads/:id', view: ThreadView },
  { path: '/bots', view: BotsView },
  { path: '/bots/:id/:tab?', view: BotProfile },
  { path: '/stats', view: StatsView },
  { path: '/memory/:id?', view: MemoryView },
  { path: '/alerts', view: AlertsView },
  { path: '/graph', view: GraphView },
  { path: '/replay', view: ReplayView },
];

/**
 * Loads the code of the view at `pathname` when it loads on demand (at once for the others), so the first render
 * can draw it: otherwise the first paint is the frame alone and the view's heading comes one paint later, which was
 * /stats's largest paint. index.html's route-preload script has its chunks on the way already.
 */
export function loadView(pathname: string): Promise<unknown> {
  const route = routes.find((r) => exec(pathname, r.path));
  return route?.view.preload?.() ?? Promise.resolve();
}

/** The root: provides the shared models, starts the live stream and lays out the routes. */
export function App({ models }: { models: AppModels }) {
  useEffect(() => {
    models.start();
    return () => models.dispose();
  }, [models]);

  return (
    <AppContext.Provider value={models}>
      <LocationProvider>
        <Layout>
          <ErrorBoundary>
            <Router>
              {routes.map((r) => <Route key={r.path} path={r.path} component={r.view} />)}
              <Route default component={NotFound} />
            </Router>
          </ErrorBoundary>
        </Layout>
      </LocationProvider>
    </AppContext.Provider>
  );
}
