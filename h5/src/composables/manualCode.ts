import { reactive } from 'vue';

/**
 * State of the "enter the code manually" dialog (the scan fallback). App.vue renders
 * components/wecom/ScanManualDialog.vue (a lazy chunk) while a request is pending.
 */
export const manualCode = reactive({
  /** A caller is waiting for a code. */
  pending: false,
  /** Why manual entry is needed (outside WeCom, scan failed). */
  message: '',
  resolve: null as ((code: string | null) => void) | null,
});

/** Ask the member to type the code; resolves to the trimmed text, or null when cancelled. */
export function askManualCode(message: string): Promise<string | null> {
  manualCode.resolve?.(null); // a newer request replaces an older one
  return new Promise((resolve) => {
    manualCode.message = message;
    manualCode.resolve = resolve;
    manualCode.pending = true;
  });
}

/** Called by the dialog. */
export function settleManualCode(code: string | null): void {
  const resolve = manualCode.resolve;
  manualCode.pending = false;
  manualCode.resolve = null;
  resolve?.(code && code.trim() ? code.trim() : null);
}
