import { defineConfig, presetWind3 } from 'unocss';

export default defineConfig({
  presets: [presetWind3()],
  theme: {
    colors: { ink: '#0b0f14', panel: '#131a22', line: '#243040', ghost: '#e0e7ff', mute: '#8b98a9', warn: '#f5b14c', bad: '#ff6b6b', good: '#5fd39a' },
  },
  shortcuts: {
    btn: 'px-4 py-2 rounded-lg font-medium bg-ghost text-ink disabled:opacity-50 cursor-pointer border-0 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ghost',
    'btn-quiet': 'px-3 py-2 rounded-lg bg-transparent text-ghost border border-line cursor-pointer',
    field: 'px-3 py-2 rounded-lg bg-panel text-ghost border border-line min-w-0',
  },
});
