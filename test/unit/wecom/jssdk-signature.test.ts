/**
 * JS-SDK signature: https://developer.work.weixin.qq.com/document/path/90506 (代开发 copy with the example vector:
 * https://developer.work.weixin.qq.com/document/path/96909).
 */
import { jsapiSignature, newNonce } from '../../../server/src/wecom/jssdk/signature';

const TICKET = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';

describe('jsapiSignature', () => {
  test('official WeCom vector (doc 96909/90506)', () => {
    expect(jsapiSignature(TICKET, 'Wm3WZYTPz0wzccnW', 1414587457, 'http://mp.weixin.qq.com?params=value')).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    expect(jsapiSignature(TICKET, 'Wm3WZYTPz0wzccnW', '1414587457', 'http://mp.weixin.qq.com?params=value')).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });

  test('older WeChat MP variant (url without query)', () => {
    expect(jsapiSignature(TICKET, 'Wm3WZYTPz0wzccnW', 1414587457, 'http://mp.weixin.qq.com')).toBe('f4d90daf4b3bca3078ab155816175ba34c443a7b');
  });

  test('the #fragment is not signed', () => {
    const url = 'http://mp.weixin.qq.com?params=value';
    expect(jsapiSignature(TICKET, 'Wm3WZYTPz0wzccnW', 1414587457, `${url}#/orders/12?tab=a#b`)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    expect(jsapiSignature(TICKET, 'Wm3WZYTPz0wzccnW', 1414587457, `${url}#`)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });
});

describe('newNonce', () => {
  test('16 alphanumeric characters, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = newNonce();
      expect(n).toMatch(/^[A-Za-z0-9]{16}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(1000);
  });
});
