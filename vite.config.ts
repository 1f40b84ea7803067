import { fileURLToPath } from 'node:url';
import UnoCSS from 'unocss/vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { subresourceIntegrity } from './scripts/vite-sri.js';

const relay = process.env.GHOSTWIRE_DEV_RELAY ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  publicDir: 'public',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP forbids inline script; keep the module preload polyfill out of index.html.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': relay,
      '/health': relay,
      '/ws': { target: relay.replace(/^http/, 'ws'), ws: true },
    },
  },
  plugins: [
    UnoCSS(),
    subresourceIntegrity(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '../sw/src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      includeAssets: ['icons/apple-touch-icon.png'],
      injectManifest: {
        // The app shell only: code, styles, the page and its icons. Nothing dynamic, ever.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
      },
      manifest: {
        id: '/',
        name: 'Ghostwire',
        short_name: 'Ghostwire',
        description: 'Ephemeral, anonymous, end-to-end encrypted chat. Nothing outlives its timer.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#0b0f14',
        theme_color: '#0b0f14',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        shortcuts: [
          { name: 'New room', short_name: 'New room', url: '/r?new', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
          { name: 'Scan', short_name: 'Scan', url: '/scan', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
});
