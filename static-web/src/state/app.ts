import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { api as realApi, type Api } from '../api/client';
import { createAlertsModel, type AlertsModel } from './alerts';
import { createBotsModel, type BotsModel } from './bots';
import { createClock, type Clock } from './clock';
import { createPaceModel, type PaceModel } from './pace';
import { createStatsModel, type StatsModel } from './stats';
import { createStreamModel, type StreamModel, type StreamTransport } from './stream';
import { createWebPubSubTransport } from './webPubSubTransport';

/** Everything the views share, created once by the root and handed down through context (tests build their own). */
export interface AppModels {
  api: Api;
  stream: StreamModel;
  bots: BotsModel;
  pace: PaceModel;
  alerts: AlertsModel;
  /** The Stats page's data, which the first task may ask for before the page's code has arrived. */
  stats: StatsModel;
  clock: Clock;
  /** Opens the live stream and loads the bots, the pace and the alerts; once, however often it is called. */
  start(): void;
  dispose(): void;
}

export function createAppModels(api: Api = realApi, transport?: StreamTransport): AppModels {
  const stream = createStreamModel({
    transport: transport ?? createWebPubSubTransport(() => api.negotiate()),
    fetchActivity: (query) => api.activity(query),
  });
  const bots = createBotsModel(api, stream);
  const pace = createPaceModel(api, stream);
  const alerts = createAlertsModel(api, stream);
  const stats = createStatsModel(api);
  const clock = createClock();
  let started = false;
  return {
    api,
    stream,
    bots,
    pace,
    alerts,
    stats,
    clock,
    start() {
      if (started) return;
      started = true;
      stream.start();
      void bots.load();
      void pace.load();
      void alerts.load();
    },
    dispose() {
      stream.dispose();
      bots.dispose();
      pace.dispose();
      alerts.dispose();
      clock.dispose();
    },
  };
}

export const AppContext = createContext<AppModels | null>(null);

export function useApp(): AppModels {
  const models = useContext(AppContext);
  if (!models) throw new Error('useApp needs an <AppContext.Provider> above it');
  return models;
}
