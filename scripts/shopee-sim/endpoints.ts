// Every simulated /api/v2 path (the auth_partner HTML page is handled by the gateway itself).
import { AUTH_ENDPOINTS } from './auth-api';
import type { Endpoint } from './endpoint';
import { LOGISTICS_ENDPOINTS } from './logistics-api';
import { ORDER_ENDPOINTS } from './order-api';
import { PUSH_ENDPOINTS } from './push-api';
import { RETURN_ENDPOINTS } from './return-api';

export const ENDPOINTS: Record<string, Endpoint> = { ...AUTH_ENDPOINTS, ...ORDER_ENDPOINTS, ...LOGISTICS_ENDPOINTS, ...RETURN_ENDPOINTS, ...PUSH_ENDPOINTS };
