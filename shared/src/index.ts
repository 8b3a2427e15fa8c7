export * from './auth/roles';
export * from './api/types';
export * from './audit/actions';
export * from './format/time';
