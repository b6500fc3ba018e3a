import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/** API paths the dev server (`npm run web:dev`) passes to a running Yitu (YITU_API, default http://localhost:8080). */
const API = ['/collections', '/conformance', '/api', '/datasets', '/imports', '/jobs', '/regions', '/stats', '/maps', '/basemap', '/basemaps', '/fonts', '/tiles', '/tileMatrixSets', '/health', '/auth', '/users', '/departments', '/roles', '/sharing', '/share-requests', '/grants', '/notifications', '/audit'];
const target = process.env.YITU_API ?? 'http://localhost:8080';

/** The web app's build: served by Yitu under /app/ (see server/web/routes.ts); no CDN, everything bundled. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    reportCompressedSize: false,
    rollupOptions: {
      // zod's comments about esbuild are not annotations Rollup can read; nothing to act on.
      onwarn(w, warn) {
        if (w.code !== 'INVALID_ANNOTATION') warn(w);
      },
      output: {
        manualChunks: { maplibre: ['maplibre-gl'], echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'] },
      },
    },
  },
  server: { proxy: Object.fromEntries(API.map((p) => [p, { target, changeOrigin: true }])) },
});
