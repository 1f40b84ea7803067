import { lazyPage } from './lazy.js';
import { Landing } from './pages/landing.js';
import { route } from './router.js';

// The room page (and the crypto, schemas and socket client it needs) loads on demand.
const Room = lazyPage(() => import('./pages/room.js').then((m) => m.Room), 'Opening the room…');

/** Picks the page for the current path. */
export function App() {
  switch (route.value) {
    case '/r':
      return <Room />;
    default:
      return <Landing />;
  }
}
