import { defineConfig } from 'vite';

// The API role serves the built files from the classpath under /console/ (herald-api ConsoleAssets): Maven runs
// this build into target/classes/herald-console, so the herald-console jar carries them.
export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'target/classes/herald-console',
    emptyOutDir: true,
    // The CSP allows scripts and styles from 'self' only: no inline module preload polyfill, no inlined assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
