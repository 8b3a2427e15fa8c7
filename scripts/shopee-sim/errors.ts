// Shopee error answers: {request_id, error, message}. The names and messages are the documented ones: the
// "common_error_list" every API page shares (https://open.shopee.com/documents/v2/v2.shop.get_shop_info, section
// "Error codes") and each API's own list and error example (cited where used).
//
// HTTP status (not documented by Shopee; see README "HTTP status"): 200 for success and for parameter / business
// errors (an observed call without partner_id answered HTTP 200 with error_param), 403 for the gateway's
// authentication failures (an observed call with an unknown partner_id answered 403 invalid_partner_id; error_sign
// and the token errors are treated alike), 404 {"error":"error_not_found"} for a path that is not an API.

export class ShopeeError extends Error {
  constructor(
    readonly error: string,
    message: string,
    readonly httpStatus = 200,
  ) {
    super(message);
  }
}

const param = (message: string): ShopeeError => new ShopeeError('error_param', message);
const auth = (error: string, message: string): ShopeeError => new ShopeeError(error, message, 403);

/** "Wrong parameters, detail: {msg}." — the generic parameter error every API lists. */
export const wrongParam = (detail: string): ShopeeError => param(`Wrong parameters, detail: ${detail}.`);

/** Common (gateway) errors, https://open.shopee.com/documents/v2/v2.shop.get_shop_info "Common Error Code". */
export const GATEWAY = {
  noPartnerId: () => param('There is no partner_id in query.'),
  badPartnerId: () => param('Partner_id is invalid, should be an integer between 0 and 4294967295.'),
  unknownPartner: () => auth('invalid_partner_id', 'Invalid partner_id, please have a check.'),
  noTimestamp: () => param('no timestamp'),
  badTimestamp: () => param('Timestamp is invalid, should be an integer between 0 and 4294967295.'),
  expiredTimestamp: () => param('Timestamp is expired.'),
  futureTimestamp: () => param('Invalid timestamp'),
  noSign: () => param('There is no sign in query.'),
  wrongSign: () => auth('error_sign', 'Wrong sign.'),
  noAccessToken: () => param('There is no access_token in query.'),
  noShopId: () => param('There is no shop_id in query.'),
  badShopId: () => param('shop_id is invalid, should be an integer between 0 and 4294967295.'),
  shopNotLinked: () => auth('error_auth', 'Invalid partner_id or shopid.'),
  /** Both spellings are documented; practitioners mostly report invalid_acceess_token for expired tokens. */
  invalidAccessToken: (style: AccessTokenErrorStyle) =>
    style === 'invalid_acceess_token'
      ? auth('invalid_acceess_token', 'Invalid access_token, please have a check.')
      : auth('error_auth', 'Invalid access_token.'),
  /** Both the method and the path have to match; Shopee answers 404 for a path that is not an API. */
  notFound: () => new ShopeeError('error_not_found', '', 404),
};

export type AccessTokenErrorStyle = 'error_auth' | 'invalid_acceess_token';

/** https://open.shopee.com/documents/v2/v2.public.get_access_token and v2.public.refresh_access_token. */
export const AUTH = {
  invalidCode: () => auth('error_auth', 'Invalid code'),
  codeShopMismatch: () => auth('invalid_shop_id', 'The code or shop_id is wrong, please check the code or the shop_id.'),
  invalidRefreshToken: () => auth('error_auth', 'Invalid refresh_token.'),
  refreshTokenShopMismatch: () => auth('error_shop_refresh_token', 'Your refresh token is error ,please check refresh token or shopid.'),
  refreshTokenExpired: () => auth('refresh_token_expired', 'Your refresh_token expired.'),
  shopAccessExpired: () => auth('shop_access_expired', 'Your access to shop has expired.'),
};

/** Order and logistics errors, from the pages of the APIs named in each comment. */
export const ORDER = {
  // v2.order.get_order_list error example
  invalidTime: () => new ShopeeError('order.order_list_invalid_time', 'Start time must be earlier than end time and diff in 15days.'),
  // v2.order.get_order_detail / v2.logistics.get_shipping_parameter error example
  notFound: () => new ShopeeError('error_not_found', 'Wrong parameters, detail: the order is not found.'),
};

export const LOGISTICS = {
  // v2.logistics.get_shipping_parameter
  notReadyForParameters: () => param('Shipping parameters can only be obtained when package is ready to be shipped'),
  cancelled: () => new ShopeeError('error_status', 'The order has been cancelled.'),
  // v2.logistics.ship_order
  notReadyToShip: () => new ShopeeError('logistics.ship_order_not_ready_to_ship', 'The order is not ready to ship.'),
  alreadyShipped: () =>
    new ShopeeError('logistics.package_already_shipped', "This package has already been arranged shipment and you can't call this API again."),
  finalized: () => new ShopeeError('logistics.order_finalized', 'Order is already in finalized status.'),
  onlyOneType: () =>
    new ShopeeError('logistics.ship_order_only_support_one_type', 'Please select just one way to ship order: pickup or dropoff or non_integrated.'),
  unsupported: (method: 'pickup' | 'dropoff' | 'non_integrated') =>
    new ShopeeError(`logistics.ship_order_unsupport_${method}`, `This order does not support ship with ${method}.`),
  needAddressAndTime: () => new ShopeeError('logistics.ship_order_need_address_pickup_time', 'Parameter address_id and pickup_time_id are required.'),
  addressNotFound: () => new ShopeeError('logistics.address_not_found', 'Address is not found.'),
  pickupTimeInvalid: () => new ShopeeError('logistics.ship_order_pickup_time_invalid', 'Invalid pickup time id. Please check the pick up time id.'),
  needBranchId: () => new ShopeeError('logistics.ship_order_need_branch_id', 'Parameter branch_id is required.'),
  branchNotFound: () => new ShopeeError('logistics.error_store_not_found', 'Store is not found.'),
  longTrackingNumber: () => new ShopeeError('logistics.ship_order_long_tracking_number', 'Parameter tracking_number can not be longer than 64.'),
  packageNotExist: () => new ShopeeError('logistics.package_not_exist', 'The package is not exist.'),
  // v2.logistics.update_shipping_order
  statusNotSupported: () => new ShopeeError('logistics.error_param', 'Logistic status is not supported.'),
  // v2.logistics.get_tracking_number error example
  trackingOrderNotExist: () => new ShopeeError('logistics.invalid_error', 'The order is not exist.'),
};

const data = (message: string): ShopeeError => new ShopeeError('error_data', message);
const disputeParam = (message: string): ShopeeError => new ShopeeError('dispute.request.param.error', message);

/**
 * Return errors, from the error lists and error examples of https://open.shopee.com/documents/v2/v2.returns.<api>
 * (get_return_list, get_return_detail, confirm, offer, accept_offer, dispute, get_available_solutions,
 * get_return_dispute_reason).
 */
export const RETURNS = {
  // get_return_list (the "created_time_of" typo is the page's)
  createWindowTooLong: () => param('The period between create_time_from and created_time_of must not more than 15 days.'),
  createWindowReversed: () => param('The create_time_to should be later than create_time_from.'),
  updateWindowTooLong: () => param('The period between update_time_from and update_time_to must not more than 15 days.'),
  updateWindowReversed: () => param('The update_time_to should be later than update_time_from.'),
  updateBeforeCreate: () => param('The update_time_from must be after create_time_from.'),
  /** get_return_list without page_no (listed; a third-party capture reports exactly this for a missing page_no). */
  innerError5: () => data('Inner error, please try later. [5].'),
  // offer / accept_offer / get_available_solutions error examples (without the list's trailing dot)
  notFound: () => data("The return you queried doesn't exist"),
  // get_return_list / get_return_detail
  noPermission: () => new ShopeeError('error_permission', "You don't have permission to view this return data."),
  // confirm / offer / accept_offer / dispute / get_available_solutions
  reviewing: () => data('Shopee is reviewing the case and will get back to you.'),
  invalidStatus: (status: string) => data(`Invalid return status: ${status}`),
  // confirm
  warehouseValidation: () =>
    new ShopeeError('error_validation', 'Action cannot be performed by shop because the validation_type of Return/Refund request = warehouse_validation'),
  // offer / accept_offer
  statusCannot: () => new ShopeeError('error_return_status', 'The return status cannot support this action'),
  negotiationCannot: () => new ShopeeError('error_negotiation_status', 'The negotiation status cannot support this action'),
  // offer
  ongoingDispute: () => new ShopeeError('error_ongoing_dispute', 'cannot offer refund to buyer when return has ongoing dispute'),
  offerNotAllowed: () => data('Type of return does not allow seller to offer refund'),
  solutionNotAvailable: () => param('This proposed solution is not one of the available solutions for this return.'),
  amountMissing: () => param('Please fill a value for proposed adjusted refund amount'),
  amountNotPositive: () => param('The proposed adjusted refund amount must be positive'),
  amountDecimals: (digits: number) => param(`The proposed adjusted refund amount only accepts ${digits} digit(s) after decimal point`),
  amountTooHigh: () => param('The proposed adjusted refund amount can not exceed max refund amount'),
  amountTooLow: () => param('The proposed adjusted refund amount can not be lower than min refund amount'),
  amountNotAdjustable: () => param('The proposed solution cannot have adjusted refund amount'),
  // accept_offer
  ownOffer: () => new ShopeeError('err_data', 'Cannot accept your own offer.'),
  noBuyerProposal: () => new ShopeeError('error_no_buyer_offer', 'cannot accept refund offer because there is no proposal from buyer'),
  noBuyerCounter: () => new ShopeeError('error_no_buyer_offer', 'cannot accept refund offer because there is no counter proposal from buyer'),
  // dispute / get_return_dispute_reason
  disputeNotFound: () => disputeParam('The return_sn you requested was not queried, please check it'),
  disputeNoReturnSn: () => disputeParam('return_sn is a required parameter'),
  disputeReasonEmpty: () => disputeParam("Can't raise dispute because the dispute reason is empty"),
  disputeReasonMismatch: () => disputeParam("Can't raise dispute because the return_sn and dispute_reason_id does not match."),
  disputeRequirementMismatch: () => disputeParam("can't raise dispute because the requirement and dispute reason ID does not match"),
  disputeModuleMissing: () => disputeParam('Unable to raise dispute as mandatory module index is missing'),
  disputeEvidenceMissing: () => disputeParam("can't raise dispute because mandatory evidence is missing"),
  disputeTooManyImages: () => disputeParam('Invalid images, images max size is 3 per module'),
  disputeInvalidEmail: (email: string) => disputeParam(`Input invalid email=[${email}]`),
  /** The page's error example. */
  disputeNotAllowed: () => new ShopeeError('returnsn.illegal', 'Return status does not allow initiating a dispute case（From dispute side）'),
  disputeWrongStatus: () =>
    new ShopeeError('error_return_status', 'Cannot raise dispute because return SN is not in REQUESTED, RETURN_PROCESSING, or RETURN_ACCEPTED'),
};
