/** 团队: the department tree and a department's members. zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const team = {
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
    notActivated: '未激活',
    notActivatedHint: '已受邀，尚未加入企业微信',
    chat: '发消息',
    chatWith: '给 {name} 发消息',
    chatFailed: '无法打开会话，请稍后在企业微信中重试',
  },
};

export type TeamMessages = typeof team;
export default team;
