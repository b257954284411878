// Vite builds the web app from web/ into dist/, which the Svar server serves: index.html for the staff pages and
// the accessibility statement, respond.html for a respondent's link (its own, lighter entry).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress.ts';
import { prefetchSurvey } from './build/prefetch.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react(), prefetchSurvey(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: true,
    // survey-core alone is ~1.4 MB minified; the respondent bundle is measured by a benchmark instead.
    chunkSizeWarningLimit: 2048,
    rollupOptions: { input: { index: resolve(root, 'index.html'), respond: resolve(root, 'respond.html') } },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
