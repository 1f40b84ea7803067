import { z } from 'zod';

// The relay's CSP has no 'unsafe-eval'. Zod compiles fast object parsers with
// `new Function`, and its probe for that ability is reported as a
// `securitypolicyviolation` even though the throw is caught. jitless parses
// with no eval and no probe. Imported first by main.tsx, before any parse.
z.config({ jitless: true });
