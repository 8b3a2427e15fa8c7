import type { ApiError } from '@/api/http';
import { t } from '@/locales';

/** A member-facing sentence for an API failure. */
export function errorMessage(error: ApiError | null | undefined): string {
  if (!error) return t('errors.generic');
  if (error.code === 'timeout') return t('errors.timeout');
  if (error.status === 0) return t('errors.network');
  if (error.status === 403) return t('errors.forbidden');
  if (error.status === 404) return t('errors.notFound');
  if (error.status >= 500) return t('errors.server');
  return error.message || t('errors.generic');
}
