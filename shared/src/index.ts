export * from './auth/roles';
export * from './auth/can';
export * from './api/types';
export * from './audit/actions';
export * from './format/time';
export * from './api/notifications';
export * from './api/orders';
export * from './api/aftersales';
