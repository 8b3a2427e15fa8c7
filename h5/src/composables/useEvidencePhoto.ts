import { computed, ref } from 'vue';
import type { SopFileUploaded } from '@shopcrew/shared';
import { asApiError } from '@/api/http';
import { t } from '@/locales';
import { useSopRunStore } from '@/stores/sopRun';
import { apiMessage } from './bilingual';
import { photoProblem } from './sop';
import { chooseAndUploadImage, isWecom } from './useWecom';

/**
 * A step's evidence photo. Inside WeCom: the JS-SDK takes or picks it and uploads it to WeCom (ww.chooseImage +
 * ww.uploadImage), then POST /api/sop/files {mediaId} has the server fetch it. Outside WeCom, or when the client
 * cannot, a file input: the file is checked (JPG/PNG/WebP/GIF, ≤ 10 MB) and sent as multipart. Either way the
 * uploaded file (`fileId`) goes to `onUploaded`; what went wrong is in `problem`.
 */
export function useEvidencePhoto(onUploaded: (file: SopFileUploaded) => void) {
  const store = useSopRunStore();
  /** Offer the file input: outside WeCom, or once the JS-SDK could not take a photo. */
  const fileInput = ref(!isWecom);
  const problem = ref<string | null>(null);
  const choosing = ref(false);

  async function upload(call: () => Promise<SopFileUploaded>): Promise<void> {
    try {
      onUploaded(await call());
    } catch (e) {
      problem.value = t('sop.evidence.errors.uploadFailed', { error: apiMessage(asApiError(e)) });
    }
  }

  /** 拍照 / 从相册选择 through WeCom. */
  async function takeWithWecom(): Promise<void> {
    problem.value = null;
    choosing.value = true;
    try {
      const result = await chooseAndUploadImage();
      if (result.kind === 'uploaded') await upload(() => store.uploadMedia(result.mediaId));
      else if (result.kind === 'unavailable') {
        fileInput.value = true;
        problem.value = t('sop.evidence.errors.wecomUnavailable');
      }
    } finally {
      choosing.value = false;
    }
  }

  /** The file chosen in the file input (nothing when the member backed out). */
  async function fromFile(file: File | null | undefined): Promise<void> {
    problem.value = null;
    if (!file) return;
    const wrong = photoProblem(file);
    if (wrong) {
      problem.value = t(wrong === 'type' ? 'sop.evidence.errors.photoType' : 'sop.evidence.errors.photoSize');
      return;
    }
    await upload(() => store.uploadPhoto(file));
  }

  const busy = computed(() => choosing.value || store.uploading);

  return { inWecom: isWecom, fileInput, problem, busy, takeWithWecom, fromFile };
}
