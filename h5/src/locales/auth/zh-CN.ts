/** Sign-in: the /signin-error reasons and /signed-out. zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const auth = {
  signinError: {
    title: '登录失败',
    retry: '重新登录',
    code: '错误代码：{code}',
    reasons: {
      not_member: {
        title: '你不是本企业的成员',
        body: '当前企业微信账号不在本企业的通讯录中，无法使用店务通。',
        action: '请联系管理员把你加入企业微信通讯录，并确认店务通应用的可见范围包含你，然后重新登录。',
      },
      deactivated: {
        title: '账号已停用或已离职',
        body: '你的账号在企业微信中已被停用、禁用或标记为离职，无法登录店务通。',
        action: '如有疑问，请联系店长或管理员在企业微信管理后台恢复账号。',
      },
      not_configured: {
        title: '企业微信尚未配置',
        body: '服务器还没有配置企业微信自建应用，暂时无法登录。',
        action: '管理员请在服务器的 .env 中配置 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_AGENT_SECRET 等参数后重启服务。',
      },
      bad_state: {
        title: '登录已过期，请重新登录',
        body: '登录请求已失效，可能是停留太久，或在其他窗口重新打开了登录页。',
        action: '点击下方按钮重新登录。',
      },
      bad_code: {
        title: '登录已过期，请重新登录',
        body: '企业微信授权码已失效或已被使用（授权码 5 分钟内有效，且只能使用一次）。',
        action: '点击下方按钮重新登录。',
      },
      wecom_error: {
        title: '企业微信服务异常',
        body: '调用企业微信接口失败，可能是网络问题或应用配置有误。',
        action: '请稍后重新登录；若持续出现，请管理员检查应用 Secret、可信域名和企业可信 IP 配置。',
      },
      cookie_blocked: {
        title: '无法保持登录状态',
        body: '登录完成后仍未获取到登录状态，可能是浏览器禁用了 Cookie。',
        action: '请允许本站使用 Cookie 后重新登录，或在企业微信中打开店务通。',
      },
      unknown: {
        title: '登录失败',
        body: '登录过程中出现了未知错误。',
        action: '请重新登录；若持续出现，请联系管理员。',
      },
    },
  },
  signedOut: {
    title: '已退出登录',
    body: '你已安全退出店务通。',
    signIn: '重新登录',
  },
};

export type AuthMessages = typeof auth;
export default auth;
