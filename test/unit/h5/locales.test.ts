/**
 * The H5's messages are split by feature area (h5/src/locales/<area>/{zh-CN,en}.ts) and merged at
 * start-up (h5/src/locales/zh-CN.ts, en.ts). Every area has the same keys in both languages, with the
 * same placeholders; no two areas claim a top-level key (the merge would silently keep only one); and
 * the merged messages are exactly the areas.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mergedEn from '../../../h5/src/locales/en';
import mergedZh from '../../../h5/src/locales/zh-CN';

type Tree = { [key: string]: string | Tree };

const LOCALES = join(__dirname, '../../../h5/src/locales');
const areas = readdirSync(LOCALES).filter((name) => statSync(join(LOCALES, name)).isDirectory());

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the areas are found on disk, so a new one is checked without editing this test
const load = (area: string, locale: 'zh-CN' | 'en') => (require(join(LOCALES, area, locale)) as { default: Tree }).default;

/** Every leaf as `path → message`. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

const placeholders = (message: string) => [...new Set([...message.matchAll(/\{\s*([\w$]+)\s*\}/g)].map((m) => m[1]))].sort();

test('the areas are found', () => {
  expect(areas).toEqual(expect.arrayContaining(['app', 'auth', 'home', 'team', 'me', 'settings', 'access', 'audit']));
});

describe.each(areas)('area %s', (area) => {
  const zh = leaves(load(area, 'zh-CN'));
  const en = leaves(load(area, 'en'));

  test('zh-CN and English have exactly the same keys', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  test('every message is non-empty text with the same placeholders in both languages', () => {
    for (const [path, message] of zh) {
      expect({ path, zh: message.trim() !== '', en: (en.get(path) ?? '').trim() !== '' }).toEqual({ path, zh: true, en: true });
      expect({ path, placeholders: placeholders(en.get(path) ?? '') }).toEqual({ path, placeholders: placeholders(message) });
    }
  });
});

test('no two areas define the same top-level key, and the merged messages are exactly the areas', () => {
  for (const [locale, merged] of [
    ['zh-CN', mergedZh],
    ['en', mergedEn],
  ] as const) {
    const owner = new Map<string, string>();
    for (const area of areas) {
      for (const [key, value] of Object.entries(load(area, locale))) {
        expect({ locale, key, owners: [owner.get(key), area].filter(Boolean) }).toEqual({ locale, key, owners: [area] });
        owner.set(key, area);
        expect((merged as unknown as Tree)[key]).toBe(value);
      }
    }
    expect(Object.keys(merged).sort()).toEqual([...owner.keys()].sort());
  }
});
