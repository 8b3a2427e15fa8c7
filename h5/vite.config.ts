/// <reference types="node" />
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, loadEnv, type Plugin, type Rollup } from 'vite';
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
 * The lazy pages' chunks, grouped. Left to Rollup, every module two lazy chunks share becomes a chunk of its own: the
 * project page needed 43 JS chunks (each Vant component, store and text helper) and 23 stylesheets, fetched in waves of
 * six over HTTP/1.1, each wave a round trip of over half a second on a phone's 3G. Here every module is placed:
 *  - what the entry (the home page) runs stays in the entry's chunk (`index`): its initial download does not change;
 *  - what one lazy chunk alone uses stays in that chunk (a page, or a lazy component such as GanttChart with
 *    frappe-gantt, MetricChart with ECharts);
 *  - what the pages of one section share goes into `section-<name>` (pages/<name>/…, components/<name>/…; tasks and
 *    search belong to projects), e.g. the project store and the task rows;
 *  - what pages of two sections or more share goes into `pages-common` (the Vant components the home page does not
 *    use, PageHeader, the API error texts…), fetched once and cached for every page after;
 *  - what the home page's own lazy parts (its admin section, the WeCom scanner, English) share with pages goes into
 *    `lazy-common`, so opening the home page never fetches a page's group;
 *  - the styles only pages use (their own, their section's) go into `pages-common`'s stylesheet: one stylesheet of
 *    some 25 KB gzip for every page rather than two more of 1–2 KB per page, each of which waited for one of the six
 *    connections (another round trip on 3G) while the page's scripts and the other stylesheets were loading.
 * So a page is about three JS files and their stylesheets, fetched at once (Vite preloads a lazy route's imports in
 * parallel). Every module is named a chunk because Rollup adds a manual chunk's static imports to it unless they have
 * a chunk of their own. Which module a chunk "uses" follows each import to the names it takes, through re-exporting
 * barrels (`vant`, `@shopcrew/shared`) as tree-shaking does: a plain walk of the imports would count every Vant
 * component as the home page's, through the barrel.
 */
function lazyChunkGroups(): { plugin: Plugin; manualChunk: (id: string, meta: Rollup.ManualChunkMeta) => string | undefined } {
  const ENTRY_CHUNK = 'index';
  const SECTION_ALIASES: Record<string, string> = { tasks: 'projects', search: 'projects' };
  let groups: Map<string, string> | null = null;

  const path = (id: string) => id.split('?')[0]!.replace(/\\/g, '/');
  /** The section of a lazy chunk's module; null: not a page's (the home page's lazy parts, locales, packages). */
  function sectionOf(root: string): string | null {
    const m = /\/h5\/src\/(pages|components)\/([^/]+?)(?:\.vue)?(?:\/|$)/.exec(path(root));
    if (!m || root.includes('/node_modules/')) return null;
    if (m[1] === 'components' && (m[2] === 'home' || m[2] === 'wecom')) return null;
    return SECTION_ALIASES[m[2]!] ?? m[2]!;
  }
  const isPage = (root: string) => /\/h5\/src\/pages\//.test(path(root)) && !root.includes('/node_modules/');
  /** A stylesheet: a .css file or a Vue component's <style> block. */
  const isStyle = (id: string) => /\.css$/.test(path(id)) || /[?&]type=style\b/.test(id);
  /** A lazy chunk's name: `page-projects-[id]` for a page, the file's name otherwise (GanttChart, en). */
  function chunkName(root: string): string {
    const p = path(root);
    const page = /\/h5\/src\/pages\/(.+)\.vue$/.exec(p);
    if (page) return `page-${page[1]!.replace(/\//g, '-')}`;
    return p.slice(p.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  }

  /**
   * The modules whose code runs when `starts` are loaded: each import followed to the names it takes (a namespace
   * import or an entry: all of them), a re-export passing the names asked on to the module they come from, and a
   * module counted when one of its own exports is taken or it is loaded and may have side effects (package.json
   * `sideEffects`). Should a module's import statements not line up with Rollup's importedIds, each counts whole.
   */
  function reach(meta: Rollup.ManualChunkMeta, starts: readonly string[], statements: Map<string, Statement[]>): Set<string> {
    const { getModuleInfo } = meta;
    const wants = new Map<string, { all: boolean; names: Set<string>; loaded: boolean; expanded: boolean }>();
    const todo: Array<[id: string, names: 'all' | string[], load: boolean]> = starts.map((id) => [id, 'all', true]);
    const counted = (id: string) => {
      const w = wants.get(id);
      const info = getModuleInfo(id);
      if (!w || !info) return false;
      const own = info.exportedBindings?.['.'] ?? [];
      return w.all || (w.loaded && info.moduleSideEffects !== false) || own.some((n) => w.names.has(n));
    };
    while (todo.length) {
      const [id, names, load] = todo.pop()!;
      const info = getModuleInfo(id);
      if (!info || info.isExternal) continue;
      let w = wants.get(id);
      if (!w) wants.set(id, (w = { all: false, names: new Set(), loaded: false, expanded: false }));
      let asked: 'all' | string[];
      if (names === 'all') asked = w.all ? [] : 'all';
      else asked = w.all ? [] : names.filter((n) => !w.names.has(n));
      if (asked === 'all') w.all = true;
      else for (const n of asked) w.names.add(n);
      const newlyLoaded = load && !w.loaded;
      w.loaded ||= load;
      const list = statementsOf(meta, id, statements);
      if (!w.expanded && counted(id)) {
        w.expanded = true;
        for (const s of list) if (s.kind === 'import') todo.push([s.target, s.names, true]);
      }
      const own = new Set(info.exportedBindings?.['.'] ?? []);
      for (const s of list) {
        if (s.kind === 'reexport') {
          const picked = asked === 'all' ? s.map.map(([, local]) => local) : s.map.filter(([exported]) => asked.includes(exported)).map(([, local]) => local);
          if (picked.length || newlyLoaded) todo.push([s.target, picked, true]);
        } else if (s.kind === 'star') {
          const passed = asked === 'all' ? 'all' : asked.filter((n) => !own.has(n) && n !== 'default');
          if (passed === 'all' || passed.length || newlyLoaded) todo.push([s.target, passed, true]);
        } else if (s.kind === 'star-as') {
          if (asked === 'all' || asked.includes(s.name)) todo.push([s.target, 'all', true]);
          else if (newlyLoaded) todo.push([s.target, [], true]);
        }
      }
    }
    return new Set([...wants.keys()].filter(counted));
  }

  type Statement =
    | { kind: 'import'; target: string; names: 'all' | string[] }
    | { kind: 'reexport'; target: string; map: Array<[exported: string, local: string]> }
    | { kind: 'star'; target: string }
    | { kind: 'star-as'; target: string; name: string };
  function statementsOf(meta: Rollup.ManualChunkMeta, id: string, cache: Map<string, Statement[]>): Statement[] {
    let list = cache.get(id);
    if (list) return list;
    const info = meta.getModuleInfo(id);
    const name = (n: { type: string; name?: string; value?: unknown }) => (n.type === 'Identifier' ? n.name! : String(n.value));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ESTree nodes
    const body: any[] = (info?.ast as { body?: unknown[] } | null)?.body ?? [];
    const decls = body.filter((n) => n.source && /^(ImportDeclaration|ExportNamedDeclaration|ExportAllDeclaration)$/.test(n.type));
    const sources = [...new Set(decls.map((n) => String(n.source.value)))];
    const ids = info?.importedIds ?? [];
    list = [];
    if (sources.length !== ids.length) {
      for (const target of ids) list.push({ kind: 'import', target, names: 'all' });
    } else {
      for (const n of decls) {
        const target = ids[sources.indexOf(String(n.source.value))]!;
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ESTree nodes
        const specs: any[] = n.specifiers ?? [];
        if (n.type === 'ImportDeclaration')
          list.push({
            kind: 'import',
            target,
            names: specs.some((x) => x.type === 'ImportNamespaceSpecifier')
              ? 'all'
              : specs.map((x) => (x.type === 'ImportDefaultSpecifier' ? 'default' : name(x.imported))),
          });
        else if (n.type === 'ExportAllDeclaration') list.push(n.exported ? { kind: 'star-as', target, name: name(n.exported) } : { kind: 'star', target });
        else list.push({ kind: 'reexport', target, map: specs.map((x) => [name(x.exported), name(x.local)] as [string, string]) });
      }
    }
    cache.set(id, list);
    return list;
  }

  function plan(meta: Rollup.ManualChunkMeta): Map<string, string> {
    const { getModuleIds, getModuleInfo } = meta;
    const ids = [...getModuleIds()];
    const statements = new Map<string, Statement[]>();
    const initial = reach(
      meta,
      ids.filter((id) => getModuleInfo(id)?.isEntry),
      statements,
    );
    const roots = [...new Set(ids.flatMap((id) => getModuleInfo(id)?.dynamicallyImportedIds ?? []))].filter((id) => !initial.has(id));
    const users = new Map<string, string[]>();
    for (const root of roots)
      for (const id of reach(meta, [root], statements)) {
        if (initial.has(id)) continue;
        const list = users.get(id) ?? [];
        list.push(root);
        users.set(id, list);
      }
    const names = new Map<string, string>();
    const taken = new Set<string>();
    for (const root of roots) {
      let name = chunkName(root);
      for (let i = 2; taken.has(name); i++) name = `${chunkName(root)}-${i}`;
      taken.add(name);
      names.set(root, name);
    }
    const out = new Map<string, string>();
    for (const id of ids) {
      const by = users.get(id);
      if (initial.has(id) || !by)
        out.set(id, ENTRY_CHUNK); // the entry's, or code no chunk runs (nothing of it is kept)
      else if (isStyle(id) && by.every(isPage)) out.set(id, 'pages-common');
      else if (by.length === 1) out.set(id, names.get(by[0]!)!);
      else {
        const sections = new Set(by.map(sectionOf));
        out.set(id, sections.has(null) ? 'lazy-common' : sections.size === 1 ? `section-${[...sections][0]}` : 'pages-common');
      }
    }
    return out;
  }

  return {
    plugin: {
      name: 'shopcrew:lazy-chunk-groups',
      apply: 'build',
      buildStart() {
        groups = null; // a new module graph (watch mode)
      },
      generateBundle(_options, bundle) {
        // The home page's initial download: the entry's chunk and the framework's, never a lazy group.
        const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
        const lazy = entry?.type === 'chunk' ? entry.imports.filter((f) => /(^|\/)(page-|section-|pages-common|lazy-common)/.test(f)) : [];
        if (lazy.length) this.error(`the entry imports lazy chunks ${lazy.join(', ')}: lazyChunkGroups() misplaced a module of the home page`);
      },
    },
    manualChunk(id, meta) {
      groups ??= plan(meta);
      return groups.get(id);
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
  const lazyGroups = lazyChunkGroups();

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
      lazyGroups.plugin,
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
          // One long-cached vendor chunk for the framework every page needs; the lazy pages' shared modules grouped.
          manualChunks(id, meta) {
            if (/node_modules\/(@vue|vue|vue-router|pinia)\//.test(id)) return 'vue';
            if (/node_modules\/(vue-i18n|@intlify)\//.test(id)) return 'i18n';
            return lazyGroups.manualChunk(id, meta);
          },
        },
      },
    },
  };
});
