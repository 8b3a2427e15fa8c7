export * from './auth/roles';
export * from './api/types';
