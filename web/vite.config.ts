import { defineConfig } from 'vite';

// `npm run build -- --outDir DIR` (CMake passes build/web). `npm run dev` proxies the API to a
// `smartchurn serve` on port 8080, for working on the pages with hot reload (start it with
// `--allowed-hosts localhost:5173`: the proxy keeps the page's Host and Origin, which the server
// checks, docs/security.md).
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
