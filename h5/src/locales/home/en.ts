import type { HomeMessages } from './zh-CN';

/** The home page (/): greeting and 我的工作. English. */
const home: HomeMessages = {
  home: {
    greeting: {
      morning: 'Good morning, {name}',
      noon: 'Good day, {name}',
      afternoon: 'Good afternoon, {name}',
      evening: 'Good evening, {name}',
    },
    noRole: 'No role yet. Ask the store owner to assign one.',
    myWork: 'My work',
    refresh: 'Refresh',
    noWork: 'Nothing to do right now. New work shows up here.',
    loadFailed: 'Could not load your work',
    apps: 'More apps',
  },
};

export default home;
