/** The event catalogue and the composition checks around events (server/src/platform/events). */
import { createLogger } from '../../../server/src/lib/logger';
import { composeModules, type CompositionContext } from '../../../server/src/platform/compose';
import { Dispatcher, EventCatalogue, InvalidEventPayloadError, UnknownEventTypeError, type EventTypeDef } from '../../../server/src/platform/events';
import { defineModule } from '../../../server/src/platform/module';
import { ServiceRegistry } from '../../../server/src/platform/services';
import { DuplicateRegistrationError } from '../../../server/src/platform/unique';

const pinged: EventTypeDef = {
  type: 'order.pinged',
  label: '测试',
  fields: { sn: { label: '订单号', type: 'string' }, amount: { label: '金额', type: 'number' }, tags: { label: '标签', type: 'string[]', optional: true } },
};

describe('EventCatalogue.check', () => {
  const catalogue = new EventCatalogue();
  catalogue.register(pinged, 'test');

  test('a declared type with its fields passes; optional fields may be left out', () => {
    expect(() => catalogue.check('order.pinged', { sn: 'A1', amount: 5 })).not.toThrow();
    expect(() => catalogue.check('order.pinged', { sn: 'A1', amount: 5, tags: ['x'] })).not.toThrow();
  });

  test.each([
    [{ amount: 5 }, 'sn is required'],
    [{ sn: 1, amount: 5 }, 'sn must be string'],
    [{ sn: 'A1', amount: '5' }, 'amount must be number'],
    [{ sn: 'A1', amount: Number.NaN }, 'amount must be number'],
    [{ sn: 'A1', amount: 5, tags: [1] }, 'tags must be string[]'],
    [{ sn: 'A1', amount: 5, extra: true }, 'extra is not a field of order.pinged'],
  ])('refuses %j: %s', (payload, problem) => {
    expect(() => catalogue.check('order.pinged', payload)).toThrow(InvalidEventPayloadError);
    expect(() => catalogue.check('order.pinged', payload)).toThrow(problem);
  });

  test('an undeclared type is refused at the publisher', () => {
    expect(() => catalogue.check('order.pinge', {})).toThrow(UnknownEventTypeError);
  });

  test('type names are dotted lower_snake words', () => {
    expect(() => new EventCatalogue().register({ ...pinged, type: 'OrderPinged' }, 'test')).toThrow(/use lower_snake words joined by dots/);
  });
});

describe('composition', () => {
  const context = (): CompositionContext => {
    const events = new EventCatalogue();
    return {
      services: new ServiceRegistry(),
      events,
      dispatcher: new Dispatcher(null as never, null as never, events, createLogger('silent')),
    } as unknown as CompositionContext;
  };
  const subscriber = (key: string, on: string[]) => ({ key, on, handle: () => Promise.resolve() });

  test('two modules declaring one event type stop the boot', () => {
    const a = defineModule({ name: 'a', entities: [], create: () => ({ events: [pinged] }) });
    const b = defineModule({ name: 'b', entities: [], create: () => ({ events: [pinged] }) });
    expect(() => composeModules(context(), [a, b])).toThrow(new DuplicateRegistrationError('event type', 'order.pinged', 'module a', 'module b'));
  });

  test('a subscriber may listen to a type declared by a later module, but not to an undeclared one', () => {
    const listener = defineModule({ name: 'listener', entities: [], create: () => ({ subscribers: [subscriber('listener.react', ['order.pinged'])] }) });
    const publisher = defineModule({ name: 'publisher', entities: [], create: () => ({ events: [pinged] }) });
    expect(() => composeModules(context(), [listener, publisher])).not.toThrow();
    expect(() => composeModules(context(), [listener])).toThrow('subscriber listener.react listens to undeclared event type "order.pinged"');
  });

  test('two subscribers with one key stop the boot', () => {
    const m = defineModule({
      name: 'm',
      entities: [],
      create: () => ({ events: [pinged], subscribers: [subscriber('m.x', ['order.pinged']), subscriber('m.x', ['order.pinged'])] }),
    });
    expect(() => composeModules(context(), [m])).toThrow('duplicate event subscriber "m.x"');
  });
});
