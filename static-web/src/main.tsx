import { render } from 'preact';
import { App } from './app';
import { createAppModels } from './state/app';
import './global.css';

const models = createAppModels();
render(<App models={models} />, document.getElementById('app')!);
// The first requests leave in the same task as the first render rather than from its effects, which run after the
// first paint: the data is on its way sooner, and sending five requests is not one more task after the page has
// painted (on a throttled phone that task was the load's longest). After render(), not before: a view that loads on
// demand (Stats) has asked for its code by then, ahead of them. App's own start() is then a no-op.
models.start();
