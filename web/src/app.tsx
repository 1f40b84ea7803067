import { Direct } from './pages/direct.js';
import { Landing } from './pages/landing.js';
import { Room } from './pages/room.js';
import { route } from './router.js';

/** Picks the page for the current path. */
export function App() {
  switch (route.value) {
    case '/r':
      return <Room />;
    case '/d':
      return <Direct />;
    default:
      return <Landing />;
  }
}
