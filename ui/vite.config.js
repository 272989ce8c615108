import { defineConfig } from 'vite';

// JSX for Preact; hashed file names under assets/ (the server caches them for a year); no inline script or style,
// so that the page runs under a CSP of 'self' alone.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev` against a running server (BATON_UI_PROXY, default local mode's port)
    proxy: { '/api': process.env.BATON_UI_PROXY || 'http://127.0.0.1:8080' },
  },
});
