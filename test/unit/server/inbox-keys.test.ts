/** The inbox type and ordering stream of a WeCom callback (server/src/wecom/callbacks/inbox-keys.ts). */
import { wecomStreamKey, wecomType } from '../../../server/src/wecom/callbacks/inbox-keys';

const cc = (ChangeType: string, extra: Record<string, string> = {}) => ({ MsgType: 'event', Event: 'change_contact', ChangeType, ...extra });

describe('WeCom inbox keys', () => {
  test.each([
    [cc('update_user', { UserID: 'lina' }), 'change_contact:update_user', 'contact:lina'],
    // A rename orders with the member's earlier events: the OLD userid.
    [cc('update_user', { UserID: 'lina', NewUserID: 'lina2' }), 'change_contact:update_user', 'contact:lina'],
    [cc('create_user', { UserID: 'xm' }), 'change_contact:create_user', 'contact:xm'],
    [cc('delete_user', { UserID: 'xm' }), 'change_contact:delete_user', 'contact:xm'],
    [cc('create_party', { Id: '77' }), 'change_contact:create_party', 'department:77'],
    [cc('delete_party', { Id: '77' }), 'change_contact:delete_party', 'department:77'],
    [cc('update_tag', { TagId: '1' }), 'change_contact:update_tag', 'tag:1'],
    [cc('update_user'), 'change_contact:update_user', 'wecom:change_contact'],
    [{ MsgType: 'event', Event: 'template_card_event', ResponseCode: 'x' }, 'template_card_event', 'wecom:template_card_event'],
    [{ MsgType: 'text', MsgId: '1' }, 'msg:text', 'wecom:msg:text'],
  ])('%j → type %s, stream %s', (fields, type, stream) => {
    expect(wecomType(fields)).toBe(type);
    expect(wecomStreamKey(fields)).toBe(stream);
  });
});
