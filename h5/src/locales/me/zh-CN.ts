/** 我的: profile, language, tools, sign-out. zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const me = {
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
};

export type MeMessages = typeof me;
export default me;
