import type { AppMessages } from './zh-CN';

/** The app shell: name, navigation, errors, the scan dialog, the 403/404 pages, times, punctuation, language names. English. */
const app: AppMessages = {
  app: {
    name: 'ShopCrew',
    demoNotice: 'Demo mode: connected to the local WeCom simulator and the demo corp',
    demoInbox: 'See what I received in WeCom ›',
    loading: 'Loading…',
    retry: 'Retry',
    backHome: 'Back to home',
    back: 'Back',
  },
  nav: { home: 'Home', orders: 'Orders', cases: 'After-sales', checklists: 'Checklists', projects: 'Projects', data: 'Data', team: 'Team', me: 'Me' },
  errors: {
    network: 'Network error. Check your connection and try again.',
    timeout: 'The request timed out. Please try again.',
    forbidden: 'You do not have permission to see this. Ask the store owner or an admin.',
    notFound: 'Not found, or it has been deleted.',
    server: 'Something went wrong on the server. Please try again later.',
    generic: 'Failed to load. Please try again.',
    session: 'Could not load your sign-in',
  },
  scan: {
    manualTitle: 'Enter manually',
    manualPlaceholder: 'Barcode or QR code content',
    outsideWecom: 'Scanning needs the WeCom app. Enter the code manually.',
    failed: 'Scan failed. Enter the code manually.',
    confirm: 'OK',
    cancel: 'Cancel',
  },
  forbidden: {
    title: 'No permission',
    body: 'You do not have permission to open this page. Ask the store owner if you need it.',
  },
  notFound: {
    title: 'Page not found',
    body: 'The page you opened does not exist or was removed.',
  },
  time: {
    justNow: 'just now',
    minutesAgo: '{n} min ago',
    hoursAgo: '{n} h ago',
    ms: '{n} ms',
    seconds: '{n} s',
    minutes: '{m} min {s} s',
  },
  punctuation: { colon: ': ', listSeparator: ', ' },
  lang: { 'zh-CN': '简体中文', en: 'English' },
};

export default app;
