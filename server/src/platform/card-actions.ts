import type { Permission } from '@shopcrew/shared';
import type { Tx } from './tx';
import { UniqueKeys } from './unique';

/** What a card action is given: who clicked, what the button is about, and the unit of work to act in. */
export interface CardActionContext {
  /** The clicking member (the callback's FromUserName). */
  userid: string;
  /** The button's target: what follows the action in its key (`order.claim:<order id>`). */
  target: string;
  tx: Tx;
}

/** What a click did, as every recipient's card will show it instead of the buttons, e.g. `已由 李娜 认领`. */
export interface CardActionResult {
  text: string;
  /**
   * false: nothing was decided (e.g. 驳回 needs a reason typed in the H5): only the clicker's card shows `text`, and the
   * others stay open. Default true.
   */
  settle?: boolean;
}

/**
 * A button on an approval-style card (https://developer.work.weixin.qq.com/document/path/90236). A module registers it
 * with the permission the click needs; the click runs the handler as the clicking member, checked with can()
 * (with the target's shop when `shopOf` names one), and the result replaces the buttons on every recipient's card.
 * Handlers must be idempotent and decide "exactly one winner" themselves (a conditional update), since two members
 * may click at once.
 */
export interface CardActionDef {
  /** `<module noun>.<verb>`, e.g. `order.claim`; the button key is `<key>:<target>`. */
  key: string;
  /** The button text (≤ 10 characters shown), zh-CN. */
  label: string;
  /** 1 强调 (default), 2 次强调, 3 中性, 4 负向. */
  style?: 1 | 2 | 3 | 4;
  /** null: any member who received the card may click. */
  permission: Permission | null;
  shopOf?(target: string, tx: Tx): Promise<string | null>;
  handle(ctx: CardActionContext): Promise<CardActionResult>;
}

/** Every module's card actions by key; a second action with one key stops the boot. */
export class CardActionRegistry {
  private readonly actions = new Map<string, CardActionDef>();
  private readonly keys = new UniqueKeys('card action');

  register(def: CardActionDef, owner: string): void {
    if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(def.key)) throw new Error(`card action "${def.key}" (${owner}): use <noun>.<verb>, e.g. order.claim`);
    this.keys.add(def.key, owner);
    this.actions.set(def.key, def);
  }

  get(key: string): CardActionDef | undefined {
    return this.actions.get(key);
  }

  /** `order.claim:123` → the action and its target; null when the key names no registered action. */
  parseButtonKey(buttonKey: string): { action: CardActionDef; target: string } | null {
    const colon = buttonKey.indexOf(':');
    if (colon <= 0) return null;
    const action = this.actions.get(buttonKey.slice(0, colon));
    return action ? { action, target: buttonKey.slice(colon + 1) } : null;
  }
}
