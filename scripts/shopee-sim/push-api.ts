// v2.push.get_lost_push_message (GET) and v2.push.confirm_consumed_lost_push_message (POST {last_message_id}):
// Public APIs, partner level, signed over partner_id + path + timestamp
// (https://open.shopee.com/documents/v2/v2.push.get_lost_push_message,
// https://open.shopee.com/documents/v2/v2.push.confirm_consumed_lost_push_message).
import { reqInt, type Endpoint } from './endpoint';
import { wrongParam } from './errors';

export const PUSH_ENDPOINTS: Record<string, Endpoint> = {
  '/api/v2/push/get_lost_push_message': {
    method: 'GET',
    type: 'public',
    handler: ({ state }) => ({ response: state.lost.page(state.clock.now()) }),
  },
  '/api/v2/push/confirm_consumed_lost_push_message': {
    method: 'POST',
    type: 'public',
    handler: ({ state, params }) => {
      const last = reqInt(params, 'last_message_id');
      if (!state.lost.confirm(last)) throw wrongParam('last_message_id is invalid');
      return {};
    },
  },
};
