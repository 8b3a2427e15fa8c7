import type { MeMessages } from './zh-CN';

/** 我的: profile, language, tools, sign-out. English. */
const me: MeMessages = {
  me: {
    title: 'Me',
    userid: 'User ID',
    departments: 'Departments',
    noDepartments: 'No department',
    roles: 'Roles',
    noRoles: 'No role yet. Ask the store owner to assign one.',
    permissions: 'My permissions',
    noPermissions: 'No permissions',
    settings: 'Settings',
    language: 'Language',
    tools: 'Tools',
    scanTest: 'Scan test',
    scanResult: 'Scan result',
    scanManualHint: 'Outside WeCom: you type the code instead',
    scanCancelled: 'Cancelled',
    logout: 'Sign out',
    logoutConfirm: 'Sign out of ShopCrew?',
    logoutFailed: 'Sign-out failed. Please try again.',
  },
};

export default me;
