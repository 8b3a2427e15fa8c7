/** The home page (/): greeting and 我的工作. zh-CN: the source of truth for this area's keys (./en.ts is typed against it). */
const home = {
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
    noWork: '暂无待办，新的工作会显示在这里',
    loadFailed: '工作数据加载失败',
    apps: '更多应用',
  },
};

export type HomeMessages = typeof home;
export default home;
