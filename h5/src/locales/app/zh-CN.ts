/** The app shell: name, navigation, errors, the scan dialog, the 403/404 pages, times, punctuation, language names. zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const app = {
  app: {
    name: '店务通',
    demoNotice: '演示模式：当前连接的是本地企业微信模拟器和演示企业',
    demoInbox: '查看我在企业微信收到的消息 ›',
    loading: '加载中…',
    retry: '重试',
    backHome: '返回首页',
    back: '返回',
  },
  nav: { home: '首页', orders: '订单', cases: '售后', checklists: '清单', projects: '项目', data: '数据', team: '团队', me: '我的' },
  errors: {
    network: '网络连接失败，请检查网络后重试',
    timeout: '请求超时，请稍后重试',
    forbidden: '你没有权限查看此内容，如需开通请联系店长或管理员',
    notFound: '内容不存在或已被删除',
    server: '服务器开小差了，请稍后重试',
    generic: '加载失败，请稍后重试',
    session: '无法获取登录信息',
  },
  scan: {
    manualTitle: '手动输入',
    manualPlaceholder: '请输入条码或二维码内容',
    outsideWecom: '当前不在企业微信内，无法调用扫一扫，请手动输入',
    failed: '扫码失败，请手动输入',
    confirm: '确定',
    cancel: '取消',
  },
  forbidden: {
    title: '没有权限',
    body: '你没有打开这个页面的权限。如需开通，请联系店长。',
  },
  notFound: {
    title: '页面不存在',
    body: '你访问的页面不存在或已被移除。',
  },
  time: {
    justNow: '刚刚',
    minutesAgo: '{n} 分钟前',
    hoursAgo: '{n} 小时前',
    ms: '{n} 毫秒',
    seconds: '{n} 秒',
    minutes: '{m} 分 {s} 秒',
  },
  /** Punctuation between a label and its value, and between list items: full-width in Chinese. */
  punctuation: { colon: '：', listSeparator: '、' },
  lang: { 'zh-CN': '简体中文', en: 'English' },
};

export type AppMessages = typeof app;
export default app;
