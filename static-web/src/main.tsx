import { render } from 'preact';
import { App } from './app';
import { createAppModels } from './state/app';
import './global.css';

const models = createAppModels();
// The first requests leave before the first render rather than from its effects, which run after the first paint: the
// data is on its way sooner, and the work of sending five requests is not one more task after the page has painted
// (on a throttled phone that task was the longest of the load). App's own start() is then a no-op.
models.start();
render(<App models={models} />, document.getElementById('app')!);
