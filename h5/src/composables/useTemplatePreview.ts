import { onScopeDispose, ref, watch } from 'vue';
import type { NotificationFormat } from '@shopcrew/shared';
import { previewTemplate } from '@/api/notifications';
import { asApiError, type ApiError } from '@/api/http';

export interface PreviewSource {
  event: string;
  template: string;
  format: NotificationFormat;
}

/**
 * 实时预览: the template rendered by the server for a sample of the event (POST /api/notifications/preview),
 * `delayMs` after the last change of the event, template or format. A newer request cancels the one in
 * flight, so what shows is always the answer for what is typed now: `text`, or `error` (422
 * unknown_placeholder / invalid_template with the server's sentence).
 */
export function useTemplatePreview(source: () => PreviewSource, delayMs = 300) {
  const text = ref<string | null>(null);
  const error = ref<ApiError | null>(null);
  /** A change is waiting for its answer (debounce or request). */
  const pending = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | null = null;

  async function run({ event, template, format }: PreviewSource) {
    controller?.abort();
    const mine = (controller = new AbortController());
    try {
      const answer = await previewTemplate({ event, template, format: format === 'markdown' ? 'markdown' : 'text' }, mine.signal);
      if (mine !== controller) return;
      text.value = answer.text;
      error.value = null;
    } catch (e) {
      if (mine.signal.aborted || mine !== controller) return;
      text.value = null;
      error.value = asApiError(e);
    } finally {
      if (mine === controller) pending.value = false;
    }
  }

  watch(
    () => ({ ...source() }),
    (next) => {
      clearTimeout(timer);
      if (!next.event || !next.template.trim()) {
        controller?.abort();
        controller = null;
        text.value = null;
        error.value = null;
        pending.value = false;
        return;
      }
      pending.value = true;
      timer = setTimeout(() => void run(next), delayMs);
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    clearTimeout(timer);
    controller?.abort();
  });

  return { text, error, pending };
}
