// Demo credentials for `npm run sim:shopee` (the partner_id of the developer guide's signing example; the key is
// made up). Point the product at the simulator with these when no real app is configured.
export const DEMO_PARTNER = { partnerId: 2001887, partnerKey: 'shpk-demo-5a7a4d6469566c446b645866566478674c6f594f' } as const;
