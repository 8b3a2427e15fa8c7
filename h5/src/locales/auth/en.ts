import type { AuthMessages } from './zh-CN';

/** Sign-in: the /signin-error reasons and /signed-out. English. */
const auth: AuthMessages = {
  signinError: {
    title: 'Sign-in failed',
    retry: 'Sign in again',
    code: 'Error code: {code}',
    reasons: {
      not_member: {
        title: 'You are not a member of this corp',
        body: 'This WeCom account is not in the corp directory, so it cannot use ShopCrew.',
        action: "Ask an admin to add you to the WeCom directory and to the app's visible range, then sign in again.",
      },
      deactivated: {
        title: 'Account disabled or departed',
        body: 'Your WeCom account is disabled or marked as departed, so it cannot sign in.',
        action: 'Ask the store owner or an admin to restore the account in the WeCom admin console.',
      },
      not_configured: {
        title: 'WeCom is not configured',
        body: 'The server has no WeCom self-built app configured yet.',
        action: 'Admins: set WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_AGENT_SECRET and the rest in the server .env, then restart.',
      },
      bad_state: {
        title: 'Sign-in expired, please sign in again',
        body: 'The sign-in request is no longer valid (it waited too long, or sign-in was opened in another window).',
        action: 'Use the button below to sign in again.',
      },
      bad_code: {
        title: 'Sign-in expired, please sign in again',
        body: 'The WeCom authorization code expired or was already used (codes last 5 minutes and work once).',
        action: 'Use the button below to sign in again.',
      },
      wecom_error: {
        title: 'WeCom service error',
        body: 'A call to the WeCom API failed: a network problem or a configuration error.',
        action: 'Try again later. If it persists, an admin should check the app secret, trusted domain and trusted IPs.',
      },
      cookie_blocked: {
        title: 'Cannot keep you signed in',
        body: 'Sign-in finished but the session was not kept; the browser may block cookies.',
        action: 'Allow cookies for this site and sign in again, or open ShopCrew inside WeCom.',
      },
      unknown: {
        title: 'Sign-in failed',
        body: 'An unknown error happened during sign-in.',
        action: 'Sign in again. If it persists, contact an admin.',
      },
    },
  },
  signedOut: {
    title: 'Signed out',
    body: 'You have signed out of ShopCrew.',
    signIn: 'Sign in again',
  },
};

export default auth;
