/** WeCom errcode → typed error (global error codes, https://developer.work.weixin.qq.com/document/path/90313). */
import { ERRCODE, toWeComError, WeComApiError, WeComConfigError, WeComInvalidCodeError, WeComRateLimitError } from '../../../server/src/wecom/client/errors';

describe('toWeComError', () => {
  test.each([40001, 40013, 48002, 60011, 60020])('%i is a WeComConfigError (fix the console, do not retry)', (code) => {
    const err = toWeComError(code, 'some errmsg, hint: [x], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com', 'gettoken');
    expect(err).toBeInstanceOf(WeComConfigError);
    expect(err).toBeInstanceOf(WeComApiError);
    expect(err).not.toBeInstanceOf(WeComRateLimitError);
    expect(err.errcode).toBe(code);
    expect(err.api).toBe('gettoken');
    expect(err.name).toBe('WeComConfigError');
  });

  test.each([45009, 45033])('%i is a WeComRateLimitError (back off)', (code) => {
    const err = toWeComError(code, 'api freq out of limit', 'user/get');
    expect(err).toBeInstanceOf(WeComRateLimitError);
    expect(err).not.toBeInstanceOf(WeComConfigError);
    expect(err.errcode).toBe(code);
    expect(err.name).toBe('WeComRateLimitError');
  });

  test('40029 is a WeComInvalidCodeError', () => {
    const err = toWeComError(40029, 'invalid code', 'auth/getuserinfo');
    expect(err).toBeInstanceOf(WeComInvalidCodeError);
    expect(err).not.toBeInstanceOf(WeComConfigError);
    expect(err.name).toBe('WeComInvalidCodeError');
  });

  test.each([-1, 40014, 42001, 60111, 60123, 99999])('%i stays a plain WeComApiError', (code) => {
    const err = toWeComError(code, 'x', 'user/get');
    expect(err.constructor).toBe(WeComApiError);
    expect(err.errcode).toBe(code);
  });

  test('the ERRCODE table names the documented numbers', () => {
    expect(ERRCODE).toMatchObject({
      INVALID_CREDENTIAL: 40001,
      INVALID_CODE: 40029,
      FREQUENCY_LIMITED: 45009,
      CONCURRENCY_LIMITED: 45033,
      API_NOT_PERMITTED: 48002,
      NO_PRIVILEGE: 60011,
      IP_NOT_ALLOWED: 60020,
    });
  });

  test('the message names the API and errcode but keeps only the first errmsg clause', () => {
    const err = toWeComError(40001, 'invalid credential, hint: [1700000000_abc], from ip: 1.2.3.4, more info at https://x', 'gettoken');
    expect(err.message).toContain('gettoken');
    expect(err.message).toContain('40001');
    expect(err.message).toContain('invalid credential');
    expect(err.message).not.toContain('1.2.3.4');
    expect(err.errmsg).toContain('hint'); // the full text is still there for operators
  });

  test('config errors carry a hint pointing at the setting to fix', () => {
    expect((toWeComError(40001, 'x', 'gettoken') as WeComConfigError).hint()).toMatch(/SECRET/);
    expect((toWeComError(40013, 'x', 'gettoken') as WeComConfigError).hint()).toMatch(/WECOM_CORP_ID/);
    expect((toWeComError(60020, 'x', 'gettoken') as WeComConfigError).hint()).toMatch(/IP/);
  });
});
