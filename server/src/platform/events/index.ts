/** Domain events: the catalogue of types, the transactional outbox, and the dispatcher to subscribers. */
export {
  EventCatalogue,
  InvalidEventPayloadError,
  UnknownEventTypeError,
  type DomainEvent,
  type EventField,
  type EventFieldType,
  type EventTypeDef,
  type DefaultRuleDef,
} from './catalogue';
export { ALL_EVENTS, Dispatcher, type DispatcherOptions, type DispatchReport, type Subscriber } from './dispatcher';
export { EVENT_ENTITIES, EventDelivery, OutboxEvent, type DeliveryStatus } from './entities';
export { Outbox, type PublishInput } from './outbox';
