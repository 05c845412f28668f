import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { routeFromHash } from './routes';
import { reportError, useApp } from './store/app';
import './styles.css';

const route = routeFromHash(location.hash);
useApp.getState().go(route.view, route.jobId);
void useApp.getState().start().catch(reportError);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
