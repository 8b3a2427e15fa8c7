// Public entry point of the WeCom simulator.
export {
  startWecomSim,
  type WecomSim,
  type WecomSimOptions,
  type SimStats,
  type DeliveryResult,
  type VerifyResult,
  type DeliverOptions,
  type CodeSubject,
  type Fault,
  type WecomSimMessaging,
  type MediaType,
  type StoredMedia,
} from './server';
export type {
  InboxItem,
  CardMemberState,
  RobotInfo,
  RobotMessage,
  AppChat,
  AppchatMessage,
  CardUpdate,
  CardClick,
  LimitViolation,
  LimitKind,
  SuppressedMessage,
} from './messaging';
export { ClickRefused, type ClickResult, type ClickOptions } from './card-click';
export type { PassiveReply } from './passive-reply';
export type { CardView, LatencySettings } from './sim-messaging';
export {
  Corp,
  CorpError,
  demoCorp,
  generateCorp,
  type Department,
  type Member,
  type Tag,
  type MemberInput,
  type MemberPatch,
  type DepartmentInput,
  type TagChange,
  type GenerateCorpOptions,
} from './corp';
export { DEMO_CREDENTIALS, DEMO_USERS, DEMO_DEPARTMENTS, DEMO_TAGS } from './demo-corp';
export * from './crypto';
export { changeContactXml } from './callbacks';
export { OUTSIDER } from './oauth';
