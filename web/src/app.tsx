import { AppBanner } from './components/app-banner.js';
import { IdleWarning } from './components/idle-warning.js';
import { ReleaseGate } from './components/release-gate.js';
import { lazyPage } from './lazy.js';
import { Landing } from './pages/landing.js';
import { route } from './router.js';

// The room page (and the crypto, schemas and socket client it needs) loads on demand.
const Room = lazyPage(() => import('./pages/room.js').then((m) => m.Room), 'Opening the room…');
const Direct = lazyPage(() => import('./pages/direct.js').then((m) => m.Direct), 'Opening direct mode…');
const Scan = lazyPage(() => import('./pages/scan.js').then((m) => m.Scan), 'Starting the scanner…');
const Farewell = lazyPage(() => import('./pages/farewell.js').then((m) => m.Farewell), 'Saying goodbye…');
const Privacy = lazyPage(() => import('./pages/privacy.js').then((m) => m.Privacy), 'Opening the privacy page…');

/** Picks the page for the current path. */
export function App() {
  return (
    <>
      <AppBanner />
      <IdleWarning />
      <ReleaseGate>
        <Page />
      </ReleaseGate>
    </>
  );
}

function Page() {
  switch (route.value) {
    case '/r':
      return <Room />;
    case '/scan':
      return <Scan />;
    case '/privacy':
      return <Privacy />;
    case '/d':
      return <Direct />;
    case '/farewell':
      return <Farewell />;
    default:
      return <Landing />;
  }
}
