import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { gzipSync, constants } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes a .gz beside every text file of the build: the gateway serves those to browsers that accept gzip. */
function precompress(): Plugin {
  let outDir = 'dist';
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
  return {
    name: 'loki-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      for (const file of walk(outDir).filter((f) => /\.(js|css|html|svg|json)$/.test(f))) {
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

// Built by the gateway's Maven build into target/classes/static (served at /); `npm run dev` proxies
// the API to a running gateway.
export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    outDir: process.env.LOKI_UI_OUT ?? 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
  test: { environment: 'jsdom' },
});
