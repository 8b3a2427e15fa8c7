import { ref } from 'vue';
import type { JssdkConfigResponse } from '@shopcrew/shared';
import { fetchJssdkConfig } from '@/api/wecom';
import { t } from '@/locales';
import { askManualCode } from './manualCode';

/**
 * The WeCom JS-SDK (`@wecom/jssdk`, loaded lazily so it stays out of the home bundle).
 * Only inside the WeCom client (User-Agent contains `wxwork`); elsewhere every helper degrades.
 * Signatures: https://developer.work.weixin.qq.com/document/path/90506; ww.register:
 * https://developer.work.weixin.qq.com/document/path/96947.
 */

type WW = typeof import('@wecom/jssdk');

const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;

/** Running inside the WeCom client (desktop or mobile). */
export const isWecom = /wxwork/i.test(ua);
/** iOS signs the landing URL in a history-mode SPA, Android the current one (https://github.com/vuejs/vue-router/issues/481). */
export const isIOS = /\b(iPhone|iPad|iPod)\b/i.test(ua);

/** The URL the app was entered with, captured when this module is first evaluated (app entry). */
export const landingUrl = typeof location === 'undefined' ? '' : location.href.split('#')[0]!;

/** APIs the app asks for in ww.register (the server signs for the app, not per API). */
export const JS_API_LIST = ['scanQRCode', 'openUserProfile', 'openEnterpriseChat', 'chooseImage', 'uploadImage'];

/** The URL to sign for a page at `currentUrl`: no #fragment; the landing URL on iOS. */
export function signatureUrl(currentUrl: string, ios = isIOS): string {
  return ios ? landingUrl : currentUrl.split('#')[0]!;
}

const SIGNATURE_TTL_MS = 5 * 60_000;
const signatures = new Map<string, { at: number; value: JssdkConfigResponse }>();

/** GET /api/wecom/jssdk-config for the URL to sign, cached briefly (register asks twice: config + agentConfig). */
async function configFor(currentUrl: string): Promise<JssdkConfigResponse> {
  const url = signatureUrl(currentUrl);
  const hit = signatures.get(url);
  if (hit && Date.now() - hit.at < SIGNATURE_TTL_MS) return hit.value;
  const value = await fetchJssdkConfig(url);
  signatures.set(url, { at: Date.now(), value });
  return value;
}

let registration: Promise<WW | null> | null = null;

/**
 * Import @wecom/jssdk and ww.register() once. Resolves to the SDK, or null outside WeCom or
 * when registration failed (a later call tries again).
 */
export function registerWecom(): Promise<WW | null> {
  if (!isWecom) return Promise.resolve(null);
  registration ??= (async () => {
    const [ww, first] = await Promise.all([import('@wecom/jssdk'), configFor(location.href)]);
    ww.register({
      corpId: first.corpId,
      agentId: first.agentId,
      jsApiList: JS_API_LIST,
      // The SDK calls these with the current URL, again whenever the URL changes.
      getConfigSignature: async (url) => (await configFor(url)).config,
      getAgentConfigSignature: async (url) => (await configFor(url)).agentConfig,
      onConfigFail: (error) => console.warn('[wecom] config failed', error),
      onAgentConfigFail: (error) => console.warn('[wecom] agentConfig failed', error),
    });
    return ww;
  })().catch((error: unknown) => {
    console.warn('[wecom] JS-SDK registration failed', error);
    registration = null;
    return null;
  });
  return registration;
}

const CONFIG_TIMEOUT_MS = 8_000;

/**
 * Wait for config/agentConfig, but not forever: without the client's JS bridge (an old client, a
 * spoofed user agent) the SDK would wait indefinitely, and the member would be stuck.
 */
async function configReady(ww: WW): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CONFIG_TIMEOUT_MS);
  });
  try {
    return await Promise.race([ww.ensureConfigReady().then(() => true), timeout]);
  } catch (error) {
    console.warn('[wecom] JS-SDK config failed', error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** `errMsg` of a failed ww call ends with `:cancel` when the member backed out. */
function isCancel(error: unknown): boolean {
  const msg = (error as { errMsg?: unknown } | null)?.errMsg;
  return typeof msg === 'string' && /:cancel$/.test(msg);
}

/** WeCom prefixes barcode results with their format, e.g. `EAN_13,6901234567892`. */
export function normalizeScanResult(raw: string): string {
  const match = /^(EAN_13|EAN_8|UPC_A|UPC_E|CODE_128|CODE_39|CODE_93|ITF|CODABAR|QR_CODE|DATA_MATRIX|PDF_417),(.*)$/s.exec(raw);
  return (match ? match[2]! : raw).trim();
}

/**
 * Scan a barcode or QR code. Inside WeCom: ww.scanQRCode; outside WeCom or when scanning fails,
 * a dialog for manual entry. Resolves to the code, or null when cancelled.
 */
export function useScanCode() {
  const scanning = ref(false);

  async function scan(): Promise<string | null> {
    scanning.value = true;
    try {
      const ww = await registerWecom();
      if (ww && (await configReady(ww))) {
        try {
          const res = await ww.scanQRCode({
            needResult: true,
            scanType: [ww.ScanQRCodeType.barCode, ww.ScanQRCodeType.qrCode],
          });
          if (res.resultStr) return normalizeScanResult(res.resultStr);
        } catch (error) {
          if (isCancel(error)) return null;
          console.warn('[wecom] scanQRCode failed', error);
        }
      }
      return await askManualCode(isWecom ? t('scan.failed') : t('scan.outsideWecom'));
    } finally {
      scanning.value = false;
    }
  }

  return { scan, scanning, inWecom: isWecom };
}

/**
 * Open a member's WeCom profile card (inside WeCom). Returns false when unavailable,
 * so the caller can fall back to its own view.
 */
export async function openUserProfile(userid: string): Promise<boolean> {
  const ww = await registerWecom();
  if (!ww) return false;
  try {
    await ww.openUserProfile({ type: ww.OpenUserProfileType.internal, userid });
    return true;
  } catch {
    return false;
  }
}

/**
 * Open a one-to-one chat with a member in the WeCom client (ww.openEnterpriseChat with one userid and
 * no group name, https://developer.work.weixin.qq.com/document/path/94532). Returns false outside WeCom or when the
 * client refused, so the caller can say so; backing out of the chat counts as done.
 */
export async function openChat(userid: string): Promise<boolean> {
  const ww = await registerWecom();
  if (!ww || !(await configReady(ww))) return false;
  try {
    await ww.openEnterpriseChat({ userIds: userid, groupName: '' });
    return true;
  } catch (error) {
    if (isCancel(error)) return true;
    console.warn('[wecom] openEnterpriseChat failed', error);
    return false;
  }
}

/** What taking a photo through WeCom came to: its media id, the member backed out, or the client could not (use a file input). */
export type WecomImageResult = { kind: 'uploaded'; mediaId: string } | { kind: 'cancelled' } | { kind: 'unavailable' };

/**
 * Take or pick one photo and upload it to WeCom (ww.chooseImage, then ww.uploadImage with its progress tips; see
 * @wecom/jssdk's types): the serverId is a media id the server fetches with media/get (valid for 3 days). `unavailable` outside WeCom, without the SDK, or when the client refused, so the caller can offer a file input.
 */
export async function chooseAndUploadImage(): Promise<WecomImageResult> {
  const ww = await registerWecom();
  if (!ww || !(await configReady(ww))) return { kind: 'unavailable' };
  try {
    const chosen = await ww.chooseImage({ count: 1, sizeType: [ww.SizeType.compressed], sourceType: [ww.SourceType.camera, ww.SourceType.album] });
    const localId = chosen.localIds[0];
    if (!localId) return { kind: 'cancelled' };
    const uploaded = await ww.uploadImage({ localId, isShowProgressTips: true });
    return uploaded.serverId ? { kind: 'uploaded', mediaId: uploaded.serverId } : { kind: 'unavailable' };
  } catch (error) {
    if (isCancel(error)) return { kind: 'cancelled' };
    console.warn('[wecom] chooseImage/uploadImage failed', error);
    return { kind: 'unavailable' };
  }
}
