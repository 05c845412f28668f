import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { routeFromHash } from './routes';
import { reportError, useApp } from './store/app';
import './styles.css';

const route = routeFromHash(location.hash);
useApp.getState().go(route.view, route.jobId);
// The hash is the route from outside too: the desktop shell sets it when a notification is
// clicked with the window open, and Back/Forward or an edited address change it. The app's own
// navigation (go) uses history.replaceState, which fires no hashchange, so this does not loop.
window.addEventListener('hashchange', () => {
  const next = routeFromHash(location.hash);
  const { view, jobId, go } = useApp.getState();
  if (next.view !== view || (next.view === 'job' && next.jobId !== jobId)) go(next.view, next.jobId);
});
void useApp.getState().start().catch(reportError);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
