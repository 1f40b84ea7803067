/**
 * Real parts (Redis, Chromium) that a suite needs. On a developer's laptop
 * without them the suite is skipped with a loud message; under CI=true their
 * absence is a failure, so CI can never pass by skipping.
 */
export function missing(what: string, hint: string): false {
  const msg = `\n${'!'.repeat(72)}\n!! ${what} is not available: SKIPPING the suites that need it.\n!! ${hint}\n${'!'.repeat(72)}\n`;
  if (process.env.CI === 'true') throw new Error(`${what} is required under CI=true. ${hint}`);
  process.stderr.write(msg);
  return false;
}
