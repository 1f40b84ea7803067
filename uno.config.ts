import { defineConfig, presetWind3 } from 'unocss';

/**
 * The visual system: colours as CSS variables (dark by default, light under
 * prefers-color-scheme: light), a small type scale, 44 px touch targets,
 * a visible focus ring on every control, and safe-area insets for installed phones.
 */
const dark = { ink: '11 15 20', panel: '19 26 34', line: '44 58 76', ghost: '224 231 255', mute: '160 172 188', warn: '245 177 76', bad: '255 122 122', good: '95 211 154', accent: '224 231 255', onaccent: '11 15 20' };
const light = { ink: '250 251 253', panel: '236 240 245', line: '196 205 217', ghost: '17 24 39', mute: '75 85 99', warn: '146 84 0', bad: '180 30 30', good: '22 120 70', accent: '30 41 82', onaccent: '250 251 253' };
const vars = (c: Record<string, string>) =>
  Object.entries(c)
    .map(([k, v]) => `--c-${k}:${v};`)
    .join('');
const colour = (k: string) => `rgb(var(--c-${k}) / <alpha-value>)`;

const focus = 'focus-visible:outline-2 focus-visible:outline-solid focus-visible:outline-offset-2 focus-visible:outline-ghost';

export default defineConfig({
  presets: [presetWind3()],
  theme: {
    colors: Object.fromEntries(Object.keys(dark).map((k) => [k, colour(k)])),
    fontSize: {
      xs: ['0.8125rem', '1.1rem'],
      sm: ['0.9375rem', '1.35rem'],
      base: ['1rem', '1.5rem'],
      lg: ['1.125rem', '1.6rem'],
      xl: ['1.375rem', '1.8rem'],
      '2xl': ['1.625rem', '2.1rem'],
      '3xl': ['2rem', '2.4rem'],
    },
  },
  preflights: [
    {
      getCSS: () => `
:root{${vars(dark)}color-scheme:dark}
@media (prefers-color-scheme: light){:root{${vars(light)}color-scheme:light}}
*,::before,::after{box-sizing:border-box;border:0 solid rgb(var(--c-line))}
html{-webkit-text-size-adjust:100%;font-family:ui-sans-serif,system-ui,sans-serif}
button,input,select,textarea{font:inherit;color:inherit}
body{margin:0;background:rgb(var(--c-ink));color:rgb(var(--c-ghost))}
select option{background:rgb(var(--c-panel));color:rgb(var(--c-ghost))}
input[type=checkbox]{accent-color:rgb(var(--c-accent))}
`,
    },
  ],
  rules: [
    ['pt-safe', { 'padding-top': 'env(safe-area-inset-top)' }],
    ['pb-safe', { 'padding-bottom': 'env(safe-area-inset-bottom)' }],
    // A page's own top padding, or the notch's if that is taller (an installed app draws under the status bar).
    ['pt-page', { 'padding-top': 'max(1.5rem, env(safe-area-inset-top))' }],
  ],
  shortcuts: {
    btn: `inline-flex items-center justify-center gap-2 min-h-11 px-4 py-2 rounded-lg font-medium bg-accent text-onaccent disabled:opacity-50 cursor-pointer border-0 ${focus}`,
    'btn-quiet': `inline-flex items-center gap-2 min-h-11 px-3 py-2 rounded-lg bg-transparent text-ghost border border-line cursor-pointer disabled:opacity-50 ${focus}`,
    'btn-icon': `inline-flex items-center justify-center w-11 h-11 shrink-0 rounded-lg bg-transparent text-ghost border-0 cursor-pointer hover:bg-panel ${focus} focus-within:outline-2 focus-within:outline-solid focus-within:outline-ghost`,
    field: `min-h-11 px-3 py-2 rounded-lg bg-panel text-ghost border border-line min-w-0 text-base ${focus}`,
    badge: 'inline-flex items-center justify-center min-w-5 h-5 px-1 rounded-full bg-warn text-ink text-xs font-bold',
    menu: 'rounded-lg bg-panel border border-line shadow-xl',
    drawer: 'bg-ink border-r border-line shadow-xl',
  },
});
