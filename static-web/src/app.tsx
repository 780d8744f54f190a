import { useEffect } from 'preact/hooks';
import { ErrorBoundary, lazy, LocationProvider, Route, Router } from 'preact-iso';
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
              <Route path="/" component={ActivityView} />
              <Route path="/activity" component={ActivityView} />
              <Route path="/activity/:id" component={ActivityDetail} />
              <Route path="/threads" component={ThreadsView} />
              <Route path="/threads/:id" component={ThreadView} />
              <Route path="/bots" component={BotsView} />
              <Route path="/bots/:id/:tab?" component={BotProfile} />
              <Route path="/stats" component={StatsView} />
              <Route path="/memory/:id?" component={MemoryView} />
              <Route path="/alerts" component={AlertsView} />
              <Route path="/graph" component={GraphView} />
              <Route path="/replay" component={ReplayView} />
              <Route default component={NotFound} />
            </Router>
          </ErrorBoundary>
        </Layout>
      </LocationProvider>
    </AppContext.Provider>
  );
}
