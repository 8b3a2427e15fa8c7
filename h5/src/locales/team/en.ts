import type { TeamMessages } from './zh-CN';

/** 团队: the department tree and a department's members. English. */
const team: TeamMessages = {
  team: {
    title: 'Team',
    departmentTitle: 'Department',
    count: '{n} person | {n} people',
    leader: 'Lead',
    noMembers: 'No members in this department',
    noDepartments: 'No departments yet. They appear here once an admin syncs the WeCom contacts.',
    subDepartments: 'Sub-departments',
    members: 'Members',
    unknownDepartment: 'This department does not exist or was deleted',
    noRole: 'No role',
    expand: 'Expand',
    collapse: 'Collapse',
    allDepartments: 'All departments',
    notActivated: 'Not activated',
    notActivatedHint: 'Invited, has not joined WeCom yet',
    chat: 'Message',
    chatWith: 'Message {name}',
    chatFailed: 'Could not open the chat. Please try again in WeCom.',
  },
};

export default team;
