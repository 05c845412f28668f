import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { followPulls } from './components/PullProgress';
import { routeFromHash } from './routes';
import { reportError, useApp } from './store/app';
import './styles.css';

const route = routeFromHash(location.hash);
// An address with a view's state (#/history?status=failed) is kept as it is; others are put right.
useApp.getState().go(route.view, route.jobId, route.query ? 'history' : 'replace');
// Every view has an address (#/history, #/jobs/<id>): go() pushes one history entry per move,
// and Back/Forward (popstate) or an address changed from outside (the desktop shell sets the hash
// when a notification is clicked: hashchange) bring the view in line with it.
const follow = () => {
  const next = routeFromHash(location.hash);
  const { view, jobId, go } = useApp.getState();
  if (next.view !== view || (next.view === 'job' && next.jobId !== jobId)) go(next.view, next.jobId, 'history');
};
window.addEventListener('popstate', follow);
window.addEventListener('hashchange', follow);
void useApp.getState().start().catch(reportError);
// Pulls are followed from the start, so a view opened later shows where each got.
followPulls();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
