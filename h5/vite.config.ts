/// <reference types="node" />
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { VantResolver } from '@vant/auto-import-resolver';

/**
 * ShopCrew H5 (vitesse-lite shape). Vant components are imported on demand by
 * unplugin-vue-components (template tags `<van-…>` → `import { X } from 'vant/es'` + its style),
 * so only the components a chunk uses end up in it. Pages are lazy routes (src/routes.ts).
 * Budget: initial JS+CSS of the home route ≤ 150 KB gzip (test/bench/h5-perf.ts measures it).
 */
/**
 * Writes `file.gz` and `file.br` next to every text asset of the build. The server's koa-send serves
 * them by itself (its `gzip`/`brotli` options default to on) to clients that accept the encoding,
 * so the H5 travels compressed without compressing per request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'shopcrew:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, fileURLToPath(new URL('.', import.meta.url)), ['VITE_', 'SHOPCREW_']);
  const apiTarget = process.env.SHOPCREW_API ?? env.SHOPCREW_API ?? env.VITE_API_PROXY ?? 'http://127.0.0.1:3000';
  const proxied = { target: apiTarget, changeOrigin: false, xfwd: true };

  return {
    resolve: {
      alias: {
        '@/': fileURLToPath(new URL('./src/', import.meta.url)),
        '@shopcrew/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)),
      },
    },
    define: {
      // vue-i18n esm-bundler flags: Composition API only, no devtools in production.
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
      __VUE_PROD_DEVTOOLS__: false,
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    },
    plugins: [
      vue(),
      Components({
        dirs: [], // our own components are imported explicitly
        resolvers: [VantResolver()],
        dts: 'src/components.d.ts',
      }),
      precompress(),
    ],
    server: {
      host: '127.0.0.1',
      port: 5173,
      proxy: {
        '/api': proxied,
        '/auth': proxied,
        '/wecom': proxied,
        '/healthz': proxied,
      },
    },
    preview: { host: '127.0.0.1', port: 4173 },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2020',
      cssCodeSplit: true,
      reportCompressedSize: true,
      chunkSizeWarningLimit: 200,
      rollupOptions: {
        output: {
          // One long-cached vendor chunk for the framework every page needs.
          manualChunks(id) {
            if (/node_modules\/(@vue|vue|vue-router|pinia)\//.test(id)) return 'vue';
            if (/node_modules\/(vue-i18n|@intlify)\//.test(id)) return 'i18n';
            return undefined;
          },
        },
      },
    },
  };
});
