/**
 * The demo shows notifications: the demo seed (scripts/demo-seed.ts, run by `npm start` in demo mode) registers a
 * robot and two rules and sends one member.joined, so the simulator's member inbox holds a card whose button works;
 * /api/me links each member to their inbox page; after a restart the simulator gets the demo's robots back.
 */
import type { MeResponse } from '@shopcrew/shared';
import { seedDemoNotifications } from '../../scripts/demo-seed';
import { DEMO_USERS as U } from '../../scripts/wecom-sim/demo-corp';
import { signIn } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait';

describe('demo notifications', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  const seed = () =>
    seedDemoNotifications({
      rules: stack.app.container.notificationRules,
      robots: stack.app.container.notificationRobots,
      uow: stack.app.container.uow,
      createRobot: (name, key) => stack.sim.createRobot(name, key),
    });

  it('puts a working card in the members’ simulator inbox and the news in the robot group', async () => {
    await seed();
    const cardOf = (u: string) => stack.sim.inboxOf(u).find((m) => m.card)?.card;
    await waitFor(() => [U.owner, U.csLead, U.csAgent].every((u) => cardOf(u)), 'the three got the card');
    const [robot] = stack.sim.robots();
    await waitFor(() => stack.sim.robotMessages(robot!.key).length === 1, 'the robot group got the news');
    expect(JSON.stringify(stack.sim.robotMessages(robot!.key)[0]!.content)).toContain('林小夏');

    const card = cardOf(U.csAgent)!;
    await stack.sim.clickCard(U.csAgent, card.taskId, 'notifications.take:');
    await waitFor(() => stack.sim.cardState(cardOf(U.owner)!.taskId, U.owner)?.replaceName === '已由 李娜 处理', 'the owner’s card shows who took it');

    const me = await (await signIn(stack, U.owner)).browser.json<MeResponse>('/api/me');
    expect(me.body.demo).toBe(true);
    expect(me.body.demoInboxUrl).toBe(`${stack.sim.url}/__sim/inbox?as=${U.owner}`);
    const page = await fetch(me.body.demoInboxUrl!);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/html')]);
    // The page renders what its JSON feed holds: the owner's card, settled.
    const feed = (await (await fetch(me.body.demoInboxUrl!.replace('/__sim/inbox?', '/__sim/inbox.json?'))).json()) as {
      items: Array<{ card?: { replaceName?: string } }>;
    };
    expect(feed.items.map((i) => i.card?.replaceName)).toContain('已由 李娜 处理');
  });

  it('seeds once, and gives a restarted simulator the demo’s robots back', async () => {
    const [robot] = stack.sim.robots();
    const rules = (await stack.app.container.notificationRules.list()).length;
    const restarted: Array<[string, string | undefined]> = [];
    await seedDemoNotifications({
      rules: stack.app.container.notificationRules,
      robots: stack.app.container.notificationRobots,
      uow: stack.app.container.uow,
      createRobot: (name, key) => (restarted.push([name, key]), stack.sim.createRobot(name, key)),
    });
    expect((await stack.app.container.notificationRules.list()).length).toBe(rules);
    expect(restarted).toEqual([[robot!.name, robot!.key]]);
  });
});
