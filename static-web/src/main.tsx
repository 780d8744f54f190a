import { render } from 'preact';
import { App } from './app';
import { createAppModels } from './state/app';
import './global.css';

const models = createAppModels();
render(<App models={models} />, document.getElementById('app')!);
