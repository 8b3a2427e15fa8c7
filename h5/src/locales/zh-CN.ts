import { ROLES, ROLE_KEYS, type Permission, type RoleKey } from '@shopcrew/shared';

/**
 * zh-CN messages: the default locale and the source of truth for the message keys
 * (en.ts is typed against this object). Wording follows the seller-team guide
 * (shared/seeds/wecom-shopee-team-guide.txt): 最小权限, 客服分单, 售后时限, SOP.
 * Message syntax (./compile.ts): `{name}` interpolates; everything else is literal text (no
 * pluralization or linked messages).
 */
const roles = Object.fromEntries(ROLE_KEYS.map((key) => [key, ROLES[key].name])) as Record<RoleKey, string>;

const permission: Record<Permission, string> = {
  'org:read': '查看组织架构',
  'org:manage_roles': '管理成员角色',
  'contacts:sync': '同步企业微信通讯录',
  'audit:read': '查看操作日志',
  'orders:read': '查看订单',
  'orders:claim': '认领订单',
  'orders:assign': '分配订单',
  'aftersales:read': '查看售后',
  'aftersales:handle': '处理售后',
  'aftersales:approve_refund': '审批退款',
  'sop:read': '查看 SOP',
  'sop:run': '执行 SOP 清单',
  'sop:manage': '管理 SOP 模板',
  'notifications:manage': '管理通知群与机器人',
  'marketing:read': '查看广告与营销数据',
  'finance:read': '查看财务与结算',
  'settings:manage': '管理系统设置',
};

const zhCN = {
  app: {
    name: '店务通',
    demoNotice: '演示模式：当前连接的是本地企业微信模拟器和演示企业',
    loading: '加载中…',
    retry: '重试',
    backHome: '返回首页',
    back: '返回',
  },
  nav: { home: '首页', team: '团队', me: '我的' },
  errors: {
    network: '网络连接失败，请检查网络后重试',
    timeout: '请求超时，请稍后重试',
    forbidden: '你没有权限查看此内容，如需开通请联系店长或管理员',
    notFound: '内容不存在或已被删除',
    server: '服务器开小差了，请稍后重试',
    generic: '加载失败，请稍后重试',
    session: '无法获取登录信息',
  },
  home: {
    greeting: {
      morning: '早上好，{name}',
      noon: '中午好，{name}',
      afternoon: '下午好，{name}',
      evening: '晚上好，{name}',
    },
    noRole: '暂未分配角色，请联系店长分配',
    myWork: '我的工作',
    refresh: '刷新',
    noWork: '你当前的角色没有需要处理的工作项',
    loadFailed: '工作数据加载失败',
    cards: {
      unclaimed: { title: '待认领订单', hint: '新订单，等待客服认领', empty: '暂无待认领订单，新订单到达时会通知你' },
      mine: { title: '我的订单', hint: '你已认领、尚未完成', empty: '你还没有认领订单' },
      aftersales: { title: '售后待处理', hint: '退款、退货等售后申请', empty: '暂无待处理的售后申请' },
      dueSoon: { title: '即将超时', hint: '售后处理时限将到', empty: '没有即将超时的售后，继续保持' },
      checklists: { title: 'SOP 清单', hint: '进行中的 SOP 清单', empty: '暂无进行中的 SOP 清单' },
    },
  },
  team: {
    title: '团队',
    departmentTitle: '部门成员',
    count: '{n} 人',
    leader: '负责人',
    noMembers: '该部门暂无成员',
    noDepartments: '通讯录里还没有部门，管理员同步企业微信通讯录后会显示在这里',
    subDepartments: '下级部门',
    members: '成员',
    unknownDepartment: '部门不存在或已被删除',
    noRole: '未分配角色',
    expand: '展开',
    collapse: '收起',
    allDepartments: '全部部门',
  },
  me: {
    title: '我的',
    userid: '账号',
    departments: '所属部门',
    noDepartments: '未加入部门',
    roles: '角色',
    noRoles: '暂未分配角色，请联系店长分配',
    permissions: '我的权限',
    noPermissions: '暂无权限',
    settings: '设置',
    language: '语言',
    tools: '工具',
    scanTest: '扫码测试',
    scanResult: '扫码结果',
    scanManualHint: '不在企业微信内，需手动输入',
    scanCancelled: '已取消',
    logout: '退出登录',
    logoutConfirm: '确定要退出登录吗？',
    logoutFailed: '退出失败，请重试',
  },
  scan: {
    manualTitle: '手动输入',
    manualPlaceholder: '请输入条码或二维码内容',
    outsideWecom: '当前不在企业微信内，无法调用扫一扫，请手动输入',
    failed: '扫码失败，请手动输入',
    confirm: '确定',
    cancel: '取消',
  },
  roles,
  permission,
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
  notFound: {
    title: '页面不存在',
    body: '你访问的页面不存在或已被移除。',
  },
  lang: { 'zh-CN': '简体中文', en: 'English' },
};

export type Messages = typeof zhCN;
export default zhCN;
