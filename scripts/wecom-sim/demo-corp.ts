// Demo corp "星河电商" (a Taobao/Douyin seller team) and demo credentials for the simulator.
// Only data here (no runtime imports), so corp.ts can build demoCorp() from it without a cycle.
import type { CorpData } from './corp';

/**
 * Demo app credentials (https://developer.work.weixin.qq.com/document/path/90930: Token ≤ 32 letters/digits,
 * EncodingAESKey exactly 43 [a-zA-Z0-9]).
 */
export const DEMO_CREDENTIALS = {
  corpId: 'wwdemo0000shopcrew',
  agentId: '1000002',
  agentSecret: '9rLsAozIMdcHxyR8Y42sA6S8Z4jRvb5jJ498BdKfqW4',
  contactSecret: 'kf6okAAa952XU1O6NvL4L8YfGfGjXnYTQqUeHDafAzO',
  callbackToken: 'ShopCrewDemoToken2024',
  callbackAesKey: '3xF2ITPnTRnAEBfvDsVZb8Qcz69jHQdYFje7fGNaulk',
} as const;

export const DEMO_DEPARTMENTS = {
  root: 1, // 星河电商
  cs: 2, // 客服部
  csPresale: 3, // 客服部 / 售前组
  csAftersale: 4, // 客服部 / 售后组
  warehouse: 5, // 仓储部
  ops: 6, // 运营部
  ads: 7, // 广告部
  finance: 8, // 财务部
  design: 9, // 美工部
  ownerOffice: 10, // 店长办公室
} as const;

export const DEMO_USERS = {
  owner: 'chenjing', // 陈静 店长 (店长办公室 leader, tag 店长)
  ownerAssistant: 'zhuting', // 朱婷 店长助理 (店长办公室 + 运营部)
  opsManager: 'zhouqiang', // 周强 运营总监 (运营部 leader)
  opsStaff: 'yangfan', // 杨帆 运营专员
  opsStaff2: 'hexue', // 何雪 运营专员
  csLead: 'wangfang', // 王芳 客服组长 (客服部 + 售前组 leader, tag 客服组长)
  csAftersaleLead: 'huangmin', // 黄敏 客服组长 (售后组 leader, tag 客服组长)
  csAgent: 'lina', // 李娜 客服专员 (售前组)
  csAgent2: 'zhaolei', // 赵磊 客服专员 (售后组)
  csAgent3: 'xuli', // 徐丽 客服专员 (售前组)
  csAgent4: 'sunhao', // 孙浩 客服专员 (售后组)
  warehouseLead: 'mayong', // 马勇 仓储主管 (仓储部 leader)
  warehouse: 'liuyang', // 刘洋 仓管员
  warehouse2: 'gaojie', // 高洁 仓管员
  marketingLead: 'zhengkai', // 郑凯 投放主管 (广告部 leader)
  marketing: 'wujun', // 吴军 广告投放
  financeLead: 'linxia', // 林霞 财务主管 (财务部 leader)
  finance: 'sunli', // 孙丽 会计
  designLead: 'luoxin', // 罗欣 美工主管 (美工部 leader)
  designer: 'guoyu', // 郭宇 美工设计
  inactive: 'qianwei', // 钱伟 客服专员, status 4 (未激活, not yet joined)
} as const;

export const DEMO_TAGS = { csLeads: 1, owners: 2, financeApprovers: 3 } as const;

const U = DEMO_USERS;
const D = DEMO_DEPARTMENTS;

export const DEMO_CORP_DATA: CorpData = {
  departments: [
    { id: D.root, name: '星河电商', name_en: 'Xinghe E-commerce', parentid: 0, order: 100000000 },
    { id: D.ownerOffice, name: '店长办公室', parentid: D.root, order: 99999000 },
    { id: D.ops, name: '运营部', parentid: D.root, order: 99998000 },
    { id: D.cs, name: '客服部', parentid: D.root, order: 99997000 },
    { id: D.csPresale, name: '售前组', parentid: D.cs, order: 100000000 },
    { id: D.csAftersale, name: '售后组', parentid: D.cs, order: 99999000 },
    { id: D.warehouse, name: '仓储部', parentid: D.root, order: 99996000 },
    { id: D.ads, name: '广告部', parentid: D.root, order: 99995000 },
    { id: D.finance, name: '财务部', parentid: D.root, order: 99994000 },
    { id: D.design, name: '美工部', parentid: D.root, order: 99993000 },
  ],
  members: [
    { userid: U.owner, name: '陈静', position: '店长', department: [D.ownerOffice], is_leader_in_dept: [1], alias: 'Jing' },
    { userid: U.ownerAssistant, name: '朱婷', position: '店长助理', department: [D.ownerOffice, D.ops], direct_leader: [U.owner] },
    { userid: U.opsManager, name: '周强', position: '运营总监', department: [D.ops], is_leader_in_dept: [1], direct_leader: [U.owner] },
    { userid: U.opsStaff, name: '杨帆', position: '运营专员', department: [D.ops], direct_leader: [U.opsManager] },
    { userid: U.opsStaff2, name: '何雪', position: '运营专员', department: [D.ops], direct_leader: [U.opsManager] },
    { userid: U.csLead, name: '王芳', position: '客服组长', department: [D.cs, D.csPresale], is_leader_in_dept: [1, 1], direct_leader: [U.owner] },
    { userid: U.csAftersaleLead, name: '黄敏', position: '客服组长', department: [D.csAftersale], is_leader_in_dept: [1], direct_leader: [U.csLead] },
    { userid: U.csAgent, name: '李娜', position: '客服专员', department: [D.csPresale], direct_leader: [U.csLead] },
    { userid: U.csAgent2, name: '赵磊', position: '客服专员', department: [D.csAftersale], direct_leader: [U.csAftersaleLead] },
    { userid: U.csAgent3, name: '徐丽', position: '客服专员', department: [D.csPresale], direct_leader: [U.csLead] },
    { userid: U.csAgent4, name: '孙浩', position: '客服专员', department: [D.csAftersale], direct_leader: [U.csAftersaleLead] },
    { userid: U.inactive, name: '钱伟', position: '客服专员', department: [D.csPresale], direct_leader: [U.csLead], status: 4 },
    { userid: U.warehouseLead, name: '马勇', position: '仓储主管', department: [D.warehouse], is_leader_in_dept: [1], direct_leader: [U.owner] },
    { userid: U.warehouse, name: '刘洋', position: '仓管员', department: [D.warehouse], direct_leader: [U.warehouseLead] },
    { userid: U.warehouse2, name: '高洁', position: '仓管员', department: [D.warehouse], direct_leader: [U.warehouseLead] },
    { userid: U.marketingLead, name: '郑凯', position: '投放主管', department: [D.ads], is_leader_in_dept: [1], direct_leader: [U.owner] },
    { userid: U.marketing, name: '吴军', position: '广告投放', department: [D.ads], direct_leader: [U.marketingLead] },
    { userid: U.financeLead, name: '林霞', position: '财务主管', department: [D.finance], is_leader_in_dept: [1], direct_leader: [U.owner] },
    { userid: U.finance, name: '孙丽', position: '会计', department: [D.finance], direct_leader: [U.financeLead] },
    { userid: U.designLead, name: '罗欣', position: '美工主管', department: [D.design], is_leader_in_dept: [1], direct_leader: [U.owner] },
    { userid: U.designer, name: '郭宇', position: '美工设计', department: [D.design], direct_leader: [U.designLead] },
  ],
  tags: [
    { tagid: 1, tagname: '客服组长', userlist: [U.csLead, U.csAftersaleLead], partylist: [] },
    { tagid: 2, tagname: '店长', userlist: [U.owner], partylist: [] },
    { tagid: 3, tagname: '财务审批', userlist: [U.owner], partylist: [D.finance] },
  ],
};
