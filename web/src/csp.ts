import { config } from 'zod/v4/core';

// The relay's CSP has no 'unsafe-eval'. Zod compiles fast object parsers with
// `new Function`, and its probe for that ability is reported as a
// `securitypolicyviolation` even though the throw is caught. jitless parses
// with no eval and no probe. Imported first by main.tsx, before any parse.
// Only zod's core config is imported here: the schemas load with the pages that parse.
config({ jitless: true });
