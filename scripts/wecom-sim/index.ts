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
} from './server';
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
