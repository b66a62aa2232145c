import type { FastifyInstance } from 'fastify';
import { KEPT_ORDERS } from '../cabinet/order-book.js';
import { keptOrderView } from './cabinet-state.js';
import type { ControlParts } from './control-api.js';
import { orderSchema } from './control-schemas.js';

/** `GET /emulator/orders`. */
export function registerOrderRoutes(
  api: FastifyInstance,
  { fleet }: ControlParts,
): void {
  api.get(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Orders the cloud made, newest first',
        description: `Up to the last ${KEPT_ORDERS}. Amounts are decimal strings, as on the wire.`,
        response: {
          200: {
            type: 'object',
            properties: { orders: { type: 'array', items: orderSchema } },
            required: ['orders'],
          },
        },
      },
    },
    async () => ({
      orders: fleet.orders.list().reverse().map(keptOrderView),
    }),
  );
}
