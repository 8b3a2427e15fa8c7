/**
 * The H5's own message compiler (h5/src/locales/message-format.ts), run through vue-i18n's real
 * translation runtime (@intlify/core-base, the package vue-i18n's `t` is built on) with the app's
 * real messages, so plural forms are chosen exactly as in the browser.
 */
import { join } from 'node:path';
import { buildMessage } from '../../../h5/src/locales/message-format';
import en from '../../../h5/src/locales/en';
import zhCN from '../../../h5/src/locales/zh-CN';

/** The slice of @intlify/core-base this test uses (it is a dependency of the H5 workspace, not of the root). */
interface CoreBase {
  createCoreContext(options: Record<string, unknown>): unknown;
  translate(context: unknown, key: string, ...args: unknown[]): string;
  resolveValue(messages: unknown, path: string): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from the h5 workspace, where it is installed
const core = require(require.resolve('@intlify/core-base', { paths: [join(__dirname, '../../../h5')] })) as CoreBase;

function i18n(locale: 'en' | 'zh-CN', messages: Record<string, unknown>) {
  // Outside a production build @intlify warns once that a custom message compiler is "experimental";
  // the H5's production bundle does not (NODE_ENV=production), so the notice is only noise here.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const context = core.createCoreContext({
    locale,
    fallbackLocale: 'zh-CN',
    messages: { [locale]: messages },
    messageCompiler: (source: unknown) => buildMessage(source as string),
    messageResolver: (messages: unknown, path: string) => core.resolveValue(messages, path), // dotted paths into nested messages, as vue-i18n registers it
    missingWarn: false,
    fallbackWarn: false,
  });
  warn.mockRestore();
  return (key: string, ...args: unknown[]) => core.translate(context, key, ...args);
}

describe('H5 messages: interpolation', () => {
  const t = i18n('en', { hello: 'Good morning, {name}', item: 'Item {0} of {1}', plain: 'Sign out', spaced: 'x{ name }y' });

  test('named, list and literal', () => {
    expect(t('hello', { name: '李娜' })).toBe('Good morning, 李娜');
    expect(t('item', [2, 5])).toBe('Item 2 of 5');
    expect(t('plain')).toBe('Sign out');
    expect(t('spaced', { name: 'A' })).toBe('xAy');
  });

  test('a missing value interpolates as nothing', () => {
    expect(t('hello', {})).toBe('Good morning, ');
  });
});

describe('H5 messages: plural forms', () => {
  test("English team counts say '1 person' and '2 people'", () => {
    const t = i18n('en', en);
    expect([0, 1, 2, 5, 21].map((n) => t('team.count', { n }))).toEqual(['0 people', '1 person', '2 people', '5 people', '21 people']);
    expect(t('team.count', 1)).toBe('1 person'); // t(key, n) form
    expect(t('team.count', 3)).toBe('3 people');
  });

  test('Chinese has one form and is untouched', () => {
    const t = i18n('zh-CN', zhCN);
    expect([0, 1, 2].map((n) => t('team.count', { n }))).toEqual(['0 人', '1 人', '2 人']);
  });

  test('three forms are zero | one | many, chosen by n or count; spaces around | are not part of the text', () => {
    const t = i18n('en', { apples: 'no apples | one apple | {count} apples', rows: '{n} row|{n} rows' });
    expect([0, 1, 2, 10].map((count) => t('apples', { count }))).toEqual(['no apples', 'one apple', '2 apples', '10 apples']);
    expect([1, 4].map((n) => t('rows', { n }))).toEqual(['1 row', '4 rows']);
  });

  test('a compiled message only asks the context for the form it needs', () => {
    const fn = buildMessage('{n} person | {n} people');
    const picked: string[][] = [];
    const ctx = { named: (k: string) => (k === 'n' ? 7 : undefined), list: () => undefined, plural: (forms: string[]) => (picked.push(forms), forms[1]!) };
    expect(fn(ctx as never)).toBe('7 people');
    expect(picked).toEqual([['7 person', '7 people']]);
  });
});
