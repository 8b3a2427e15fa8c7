/// <reference types="node" />
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { VantResolver } from '@vant/auto-import-resolver';
import { h5SourceHash, SOURCE_HASH_FILE } from '../scripts/h5-build';

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

/**
 * Stamps the bundle with a hash of the sources it was built from (h5/dist/.source-hash), so `npm start`
 * and the test setup can tell a fresh build from a stale one (scripts/h5-build.ts).
 */
function sourceStamp(): Plugin {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let outDir = '';
  let hash = '';
  return {
    name: 'shopcrew:source-stamp',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    buildStart() {
      hash = h5SourceHash(root); // the sources as they were when the build began
    },
    closeBundle() {
      writeFileSync(join(outDir, SOURCE_HASH_FILE), `${hash}\n`);
    },
  };
}

/**
 * Vant's icon CSS carries its whole icon font inline, as a ~33 KB base64 woff2 `data:` URL: a quarter
 * of the home route's initial download, most of it for glyphs the app never shows. This moves it into
 * its own long-cached file (`assets/vant-icon-[hash].woff2`, 25% smaller than the base64): the browser
 * fetches it only once a `.van-icon` is on screen, off the critical path, and it no longer delays the
 * stylesheet. Icons fill in when it arrives (`font-display: auto` keeps them invisible, never as
 * fallback glyphs, until then); visits after the first have it cached. The stylesheet keeps the name
 * Vite hashed from its input, which contains the font: it still changes whenever the font or any
 * other CSS does.
 */
function externalIconFont(): Plugin {
  const DATA_URL = /url\((["']?)data:font\/woff2;[^,)]*base64,([A-Za-z0-9+/=]+)\1\)/g;
  const THIRD_PARTY_FONT = /,\s*url\((["']?)(?:https?:)?\/\/[^)]*\1\)\s*format\([^)]*\)/g;
  return {
    name: 'shopcrew:external-icon-font',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.css')) continue;
        const css = typeof file.source === 'string' ? file.source : Buffer.from(file.source).toString('utf8');
        if (!css.includes('data:font/woff2')) continue;
        file.source = css
          .replace(DATA_URL, (_match, _quote, base64: string) => {
            const ref = this.emitFile({ type: 'asset', name: 'vant-icon.woff2', source: Buffer.from(base64, 'base64') });
            return `url(${posix.relative(posix.dirname(file.fileName), this.getFileName(ref))})`;
          })
          // Vant also lists a .woff fallback on at.alicdn.com. Every browser the H5 supports takes the
          // woff2, and nothing may load from a third party (the server's CSP: font-src 'self').
          .replace(THIRD_PARTY_FONT, '');
      }
    },
  };
}

/**
 * vue-i18n's bundler build registers its full message compiler (tokenizer, parser, code generator)
 * as a side effect, so it is bundled even though src/locales/index.ts hands createI18n its own small
 * compiler (src/locales/compile.ts). Dropping that one call lets the bundler tree-shake
 * @intlify/message-compiler out: vue-i18n's "runtime-only" build, which v11 no longer ships for
 * bundlers (its runtime.esm-bundler.js re-exports the full build). Fails the build when the call is
 * not found, so a vue-i18n upgrade cannot silently bring the compiler back or break translation.
 */
function vueI18nWithoutCompiler(): Plugin {
  const CALL = 'registerMessageCompiler(compile);';
  return {
    name: 'shopcrew:vue-i18n-without-compiler',
    apply: 'build', // the dev server pre-bundles vue-i18n as is; createI18n uses our compiler there too
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vue-i18n[\\/]dist[\\/]vue-i18n(\.runtime)?\.mjs$/.test(id.split('?')[0]!)) return null;
      if (!code.includes(CALL)) this.error(`${id}: "${CALL}" not found; update vueI18nWithoutCompiler() for this vue-i18n version`);
      return { code: code.replace(CALL, '/* message compiler: src/locales/compile.ts */'), map: null };
    },
  };
}

/**
 * V8 explicit compile hints (Chrome 136+): `//# allFunctionsCalledOnLoad` as the first line of a
 * script makes V8 compile all of its functions eagerly, on a background thread while the file is
 * still downloading, instead of lazily on the main thread the first time each is called. That fits
 * exactly the chunks the home page runs at start-up: the entry and the chunks it imports statically
 * (vue, i18n). Lazy chunks keep lazy compilation. Added after minification (which drops comments);
 * other engines ignore the comment.
 */
function compileHints(): Plugin {
  return {
    name: 'shopcrew:compile-hints',
    apply: 'build',
    generateBundle: {
      order: 'post', // after Vite has put its preload map (__vite__mapDeps) in front of the entry
      handler(_options, bundle) {
        const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
        if (!entry || entry.type !== 'chunk') return;
        const initial = new Set([entry.fileName, ...entry.imports]);
        for (const file of Object.values(bundle)) {
          if (file.type === 'chunk' && initial.has(file.fileName)) file.code = `//# allFunctionsCalledOnLoad\n${file.code}`;
        }
      },
    },
  };
}

/**
 * frappe-gantt's stylesheet (the 甘特图 view, components/projects/GanttChart.vue). Its package.json exports it only under
 * the `style` condition, listed after `import`, so `@import 'frappe-gantt'` resolves to the JS; this alias names the file.
 */
const FRAPPE_GANTT_CSS = join(dirname(createRequire(import.meta.url).resolve('frappe-gantt')), 'frappe-gantt.css');

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, fileURLToPath(new URL('.', import.meta.url)), ['VITE_', 'SHOPCREW_']);
  const apiTarget = process.env.SHOPCREW_API ?? env.SHOPCREW_API ?? env.VITE_API_PROXY ?? 'http://127.0.0.1:3000';
  const proxied = { target: apiTarget, changeOrigin: false, xfwd: true };

  return {
    resolve: {
      alias: {
        '@/': fileURLToPath(new URL('./src/', import.meta.url)),
        '@shopcrew/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)),
        'frappe-gantt/style.css': FRAPPE_GANTT_CSS,
      },
    },
    define: {
      // vue-i18n esm-bundler flags: Composition API only (t() from useI18n; no <i18n-t>/<i18n-d>/
      // <i18n-n> components or v-t directive registered globally), no devtools in production.
      __VUE_I18N_FULL_INSTALL__: false,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
      __VUE_PROD_DEVTOOLS__: false,
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    },
    plugins: [
      // Every component here and in Vant, vue-router, pinia and vue-i18n (composition mode) uses
      // setup(): leaving out the Options API makes Vue smaller and quicker to start.
      vue({ features: { optionsAPI: false } }),
      vueI18nWithoutCompiler(),
      Components({
        dirs: [], // our own components are imported explicitly
        resolvers: [VantResolver()],
        dts: 'src/components.d.ts',
      }),
      externalIconFont(),
      compileHints(),
      precompress(),
      sourceStamp(),
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
