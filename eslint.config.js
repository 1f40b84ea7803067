// typescript-eslint's strict type-checked rules across every package (STYLE.md habit 11).
// A rule turned off or tuned says why, next to it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Plain-JS launchers and build scripts (bin/, *.mjs, *.cjs) carry no types for the type-checked rules to read.
  { ignores: ['dist/**', 'node_modules/**', '.measure/**', 'bench/results/**', '**/*.cjs', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that covers it (sw/ has its own, for the WebWorker lib).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // House style writes numbers and booleans straight into messages and log lines (`port ${n}`); strings only would be noise.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `void promise` marks a fire-and-forget on purpose (the caller logs or cannot act on the failure).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Handlers typed `void | Promise<void>` (RouteSocket.handle) and event callbacks returning a promise are intended.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      // `const never: never = x; return never;` is the exhaustive-switch idiom of STYLE.md habit 1.
      '@typescript-eslint/restrict-plus-operands': ['error', { allowNumberAndString: true }],
      // `return this.fail(...)` ends a void handler in one line, the house idiom (ws/connection.ts, signal/socket.ts); arrow shorthands likewise.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // `async () => void (await x)` is the house form of "await, resolve to nothing" in one line.
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      // Async methods without await implement Promise-returning interfaces (MemoryStore mirrors RedisStore); a sync body is fine there.
      '@typescript-eslint/require-await': 'off',
      // With noUncheckedIndexedAccess, `xs[i]!` after a bounds check, and `!` after a check the compiler cannot follow, are the readable forms.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Unused names prefixed with _ are placeholders in signatures a caller fixes (Hono handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}', 'sw/**/*.ts', 'tests/**/*.ts'],
    rules: {
      // lib.dom types browser APIs as always present; the PWA feature-detects them (`navigator.storage?.estimate`) because older
      // browsers lack them. Tests poll state that changes under them (`while (!s.closed)`), which narrowing reads as constant.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    files: ['web/**/*.tsx'],
    rules: {
      // Component props declare callbacks in method syntax; they are plain closures and are destructured without `this`.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'tests/**/*.ts', '**/*.conformance.ts'],
    rules: {
      // Tests read raw response JSON (Response.json() is any) on purpose, to assert on what the relay really sent; expect() is the check.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // ws hands a text frame to tests as a Buffer (RawData's union also names ArrayBuffer and Buffer[]); its toString() is the text.
      '@typescript-eslint/no-base-to-string': 'off',
      // Tests patch prototypes in the page (RTCDataChannel.prototype.send) and destructure table rows of callbacks.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
