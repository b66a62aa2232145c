/** The failure messages of the vendor document, character for character. */
export const FailureMessage = {
  /** The lock did not open. */
  operationFailed: '操作失败',
  /** WeChat's risk control refused to let the order be created. */
  riskControl: '由于微信风控原因,订单创建失败,请您尝试支付宝扫码购物。',
  /** A failure the cloud gives no reason for. */
  unspecified: '',
} as const;
