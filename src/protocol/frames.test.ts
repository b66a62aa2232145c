import { describe, expect, it } from 'vitest';
import type { Order } from '../cabinet/order.js';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { applyDiscounts } from '../pricing/discounts.js';
import { priceBasket } from '../pricing/price-basket.js';
import { FailureMessage } from './failure-messages.js';
import {
  adFrame,
  doorFrame,
  emptyFinalFrame,
  failureFrame,
  finalFrame,
  updateFrame,
  type FrameStyle,
} from './frames.js';

const directory = loadCabinetDirectory(BUNDLED_FIXTURES_DIR);
const cabinet = directory.defaultCabinet;
const aisle = (id: number) => cabinet.aisles.get(id)!;
const promotions = directory.cabinetFor('promo-cabinet');

// Pictures addressed as in the vendor document's examples.
const vendorStyle: FrameStyle = {
  successAsString: false,
  imageAddress: (name) => `http://ssib.gzncloud.com:10053/upload/image/${name}`,
  pageAddress: (path) => `http://ssib.gzncloud.com:10053${path}`,
};

// The vendor document's examples, with their whitespace removed.
const VENDOR_UPDATE =
  '{"data":{"amount":2.43,"list":[{"aisleId":5595,"amount":2.43,"costPrice":0.00560,"id":3343,"isBulk":"1","name":"水果","price":3.08000,"priceUnit":"元/斤","quantity":394,"quantityType":"重量","quantityUnit":"g","thumbImage":"http://ssib.gzncloud.com:10053/upload/image/19090214550243135023.jpg","typeName":"水果"}]},"type":"update"}';
const VENDOR_FINAL =
  '{"data":{"amount":15.80,"tradeNo":"19101114451054062737","isCreditPay":"1","discounts":[],"createTime":"2019-10-11 14:45:44","orderInfo":"","list":[{"aisleId":6140,"amount":15.80,"costPrice":6.90000,"id":3462,"isBulk":"0","name":"华农原味酸牛奶(买二送一)","price":7.90000,"priceUnit":"元/件","quantity":2,"quantityType":"数量","quantityUnit":"件","thumbImage":"http://ssib.gzncloud.com:10053/upload/image/19091215161757769747.jpg","typeName":"华农酸奶"}]},"type":"final"}';

describe('frames', () => {
  it('writes the door frame', () => {
    expect(doorFrame(vendorStyle)).toBe(
      '{"msg":"","success":true,"type":"door"}',
    );
  });

  it('writes each failure frame of the vendor document', () => {
    expect(failureFrame(FailureMessage.operationFailed, vendorStyle)).toBe(
      '{"msg":"操作失败","success":false,"type":"failure"}',
    );
    expect(failureFrame(FailureMessage.riskControl, vendorStyle)).toBe(
      '{"msg":"由于微信风控原因,订单创建失败,请您尝试支付宝扫码购物。","success":false,"type":"failure"}',
    );
    expect(failureFrame(FailureMessage.unspecified, vendorStyle)).toBe(
      '{"msg":"","success":false,"type":"failure"}',
    );
  });

  it('writes the vendor update example byte for byte from the bundled cabinet', () => {
    const basket = priceBasket(
      [{ aisle: aisle(5595), quantity: 394 }],
      'half-up',
    );

    expect(updateFrame(basket, vendorStyle)).toBe(VENDOR_UPDATE);
  });

  it('writes the vendor final example byte for byte from the bundled cabinet', () => {
    const basket = priceBasket(
      [{ aisle: aisle(6140), quantity: 2 }],
      'half-up',
    );
    const order: Order = {
      tradeNo: '19101114451054062737',
      deviceNo: 'D',
      createdAt: Date.UTC(2019, 9, 11, 6, 45, 44),
      amount: basket.amount,
      discounts: [],
      creditPay: true,
      orderInfo: '',
      lines: basket.lines,
    };

    expect(finalFrame(order, vendorStyle)).toBe(VENDOR_FINAL);
  });

  it('writes each discount of an order with its keys in order and its amount at scale 2', () => {
    // 3 colas and 2 bags of crisps, 24.00: one cola free leaves 21.00, which
    // reaches the 20.00 of 满20减3.
    const basket = priceBasket(
      [
        { aisle: promotions.aisles.get(6150)!, quantity: 3 },
        { aisle: promotions.aisles.get(6161)!, quantity: 2 },
      ],
      'half-up',
    );
    const order: Order = {
      tradeNo: '19101114451054062737',
      deviceNo: 'promo-cabinet',
      createdAt: Date.UTC(2019, 9, 11, 6, 45, 44),
      ...applyDiscounts(basket.lines, promotions.discounts),
      creditPay: true,
      orderInfo: '',
      lines: basket.lines,
    };

    expect(finalFrame(order, vendorStyle)).toBe(
      '{"data":{"amount":18.00,"tradeNo":"19101114451054062737","isCreditPay":"1","discounts":[{"amount":3.00,"name":"可口可乐 买二送一","type":"buy-get-free"},{"amount":3.00,"name":"满20减3","type":"amount-off"}],"createTime":"2019-10-11 14:45:44","orderInfo":"","list":[{"aisleId":6150,"amount":9.00,"costPrice":1.90000,"id":3501,"isBulk":"0","name":"可口可乐330ml","price":3.00000,"priceUnit":"元/件","quantity":3,"quantityType":"数量","quantityUnit":"件","thumbImage":"http://ssib.gzncloud.com:10053/upload/image/cola.jpg","typeName":"碳酸饮料"},{"aisleId":6161,"amount":15.00,"costPrice":5.10000,"id":3541,"isBulk":"0","name":"乐事原味薯片70g","price":7.50000,"priceUnit":"元/件","quantity":2,"quantityType":"数量","quantityUnit":"件","thumbImage":"http://ssib.gzncloud.com:10053/upload/image/crisps.jpg","typeName":"休闲零食"}]},"type":"final"}',
    );
  });

  it('writes the screen ad frame of pictures, their links joined with commas', () => {
    expect(adFrame({ type: 'images', links: ['/a.jpg', '/b.jpg'] })).toBe(
      '{"data":{"type":"0","linkUrl":"/a.jpg,/b.jpg"},"type":"ad"}',
    );
  });

  it('writes the screen ad frame of one video as type 1', () => {
    expect(adFrame({ type: 'video', link: '/ad.mp4' })).toBe(
      '{"data":{"type":"1","linkUrl":"/ad.mp4"},"type":"ad"}',
    );
  });

  it('writes the empty final frame of a purchase with nothing taken', () => {
    expect(emptyFinalFrame()).toBe('{"data":{"list":[]},"type":"final"}');
  });

  it('writes an update with an empty list and 0.00 when everything was put back', () => {
    expect(updateFrame(priceBasket([], 'half-up'), vendorStyle)).toBe(
      '{"data":{"amount":0.00,"list":[]},"type":"update"}',
    );
  });

  it('writes success as a string only when asked to', () => {
    const stringStyle = { ...vendorStyle, successAsString: true };

    expect(doorFrame(stringStyle)).toBe(
      '{"msg":"","success":"true","type":"door"}',
    );
    expect(failureFrame('', stringStyle)).toBe(
      '{"msg":"","success":"false","type":"failure"}',
    );
  });
});
