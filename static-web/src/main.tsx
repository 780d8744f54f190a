import { render } from 'preact';
import { App } from './app';
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
// The frame paints at once; a view that loads on demand follows as soon as its code is in, which index.html's
// route-preload script asked for beside this bundle. (Waiting for the view's code so that one paint held both was
// tried: in interleaved Lighthouse runs its largest paint came a little sooner but its one longer render task added
// more blocking time, and the score was lower.)
render(<App models={models} />, document.getElementById('app')!);
