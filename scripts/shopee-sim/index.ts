// Public entry point of the Shopee Open Platform v2 simulator.
export { startShopeeSim, type ShopeeSim, type ShopeeSimOptions, type ResolvedOptions } from './server';
export type { Shop, ShopInput, PickupAddress, DropoffBranch } from './shops';
export type { Order, OrderItem, OrderStatus, Package, LogisticsStatus, ShippingMode, RecipientAddress } from './orders';
export { ORDER_STATUSES, TRANSITIONS } from './orders';
export type { OrderInput } from './order-factory';
export type {
  Return,
  ReturnInput,
  ReturnItem,
  ReturnStatus,
  ReturnReason,
  ReturnSolution,
  NegotiationStatus,
  SellerProofStatus,
  SellerCompensationStatus,
  Negotiation,
} from './returns';
export { RETURN_STATUSES, RETURN_REASONS, RETURN_TRANSITIONS, RETURN_DEADLINES } from './returns';
export type { OrderStreamOptions } from './order-stream';
export type { PushAttempt, PushFaults, FaultSpec, PushFault } from './push-sender';
export type { PushMessage } from './push-payloads';
export type { LostPush } from './lost-push';
export type { RefreshStats, TokenPair } from './auth-store';
export type { AccessTokenErrorStyle } from './errors';
export { apiSign, baseString, pushAuthorization, hmacHex, type ApiType } from './signing';
export type { Region } from './regions';
export { DEMO_PARTNER } from './demo';
