import type { Priority, ProjectTemplate } from '@shopcrew/shared';

const t = (title: string, start: string, due: string, role: string | null, dependsOn: number[] = [], priority: Priority = 'P1', milestone = false) => ({
  title,
  start,
  due,
  priority,
  role,
  dependsOn,
  milestone,
});

/**
 * The seeded project templates, dates relative to the D day (the project's end): 大促备战 is the project guide's chain
 * (../shared/seeds: 选品策划 → 主图优化 → 定价策略 → 活动报名 → 投流测试 → 数据复盘).
 */
export const PROJECT_TEMPLATES: ProjectTemplate[] = [
  {
    key: 'promo',
    name: '大促备战',
    description: '双11、618 等大促：选品策划 → 主图优化 → 定价策略 → 活动报名 → 投流测试 → 数据复盘',
    tasks: [
      t('选品策划', 'D-30', 'D-24', 'ops_manager', [], 'P0'),
      t('主图优化', 'D-23', 'D-15', 'designer', [0]),
      t('定价策略', 'D-23', 'D-18', 'ops_manager', [0], 'P0'),
      t('活动报名', 'D-17', 'D-14', 'ops_manager', [2], 'P0'),
      t('投流测试', 'D-13', 'D-1', 'marketing', [1, 3]),
      t('大促开始', 'D', 'D', null, [4], 'P0', true),
      t('数据复盘', 'D+1', 'D+5', 'ops_manager', [5], 'P2'),
    ],
  },
  {
    key: 'launch',
    name: '新品首发',
    description: '一款新品从调研到首发与复盘',
    tasks: [
      t('市场调研', 'D-40', 'D-31', 'ops_manager'),
      t('样品确认', 'D-30', 'D-22', 'ops_manager', [0]),
      t('主图与详情页', 'D-21', 'D-10', 'designer', [1]),
      t('定价与库存', 'D-21', 'D-12', 'ops_manager', [1], 'P0'),
      t('上架', 'D-9', 'D-7', 'ops_manager', [2, 3], 'P0'),
      t('预热推广', 'D-6', 'D-1', 'marketing', [4]),
      t('首发', 'D', 'D', null, [5], 'P0', true),
      t('首发复盘', 'D+1', 'D+7', 'ops_manager', [6], 'P2'),
    ],
  },
  {
    key: 'listing',
    name: '日常上新',
    description: '每周上新：选款 → 拍摄修图 → 上架 → 数据跟踪',
    tasks: [
      t('选款', 'D-7', 'D-5', 'ops_manager'),
      t('拍摄修图', 'D-4', 'D-2', 'designer', [0]),
      t('上架', 'D-1', 'D-1', 'ops_manager', [1], 'P0'),
      t('上新', 'D', 'D', null, [2], 'P1', true),
      t('数据跟踪', 'D+1', 'D+3', 'ops_manager', [3], 'P2'),
    ],
  },
];
