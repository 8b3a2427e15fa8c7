import { LeaseRow } from './lease.entity';
import { Department } from '../modules/org/department.entity';
import { Member } from '../modules/org/member.entity';
import { MemberDepartment } from '../modules/org/member-department.entity';
import { Tag, TagDepartment, TagMember } from '../modules/org/tag.entity';
import { SyncRun } from '../modules/org/sync-run.entity';
import { Role, RoleBinding } from '../modules/roles/role.entity';
import { OAuthState, Session } from '../modules/auth/session.entity';
import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { InboxEntry } from '../wecom/callbacks/inbox-entry.entity';

export const ENTITIES = [
  LeaseRow,
  Department,
  Member,
  MemberDepartment,
  Tag,
  TagMember,
  TagDepartment,
  SyncRun,
  Role,
  RoleBinding,
  Session,
  OAuthState,
  AuditEntry,
  InboxEntry,
];
