import { render } from 'preact';
import { App, loadView } from './app';
import { createAppModels } from './state/app';
import { rangeDays } from './state/stats';
import './global.css';

const models = createAppModels();
// The first requests leave in the first task rather than from the views' effects, which run after the first paint:
// the data is on its way sooner, and sending them is not one more task after the page has painted (on a throttled
// phone that task was the load's longest). Stats's own go first when it is the page shown. App's start() is then a
// no-op.
if (/^\/stats\/?$/.test(location.pathname)) models.stats.prefetch(rangeDays(new URLSearchParams(location.search).get('days')));
models.start();
// The first render waits for the code of a view that loads on demand, so the page's first paint has its heading;
// the route-preload script in index.html asked for that code beside this bundle, so the wait is short. A view whose
// code fails to load renders anyway, and the router's error handling says so.
const draw = () => render(<App models={models} />, document.getElementById('app')!);
loadView(location.pathname).then(draw, draw);
