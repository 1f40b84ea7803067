import { AppBanner } from './components/app-banner.js';
import { Direct } from './pages/direct.js';
import { Landing } from './pages/landing.js';
import { Privacy } from './pages/privacy.js';
import { Room } from './pages/room.js';
import { Scan } from './pages/scan.js';
import { route } from './router.js';

/** Picks the page for the current path. */
export function App() {
  return (
    <>
      <AppBanner />
      <Page />
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
    default:
      return <Landing />;
  }
}
