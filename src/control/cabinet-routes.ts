import { quoteInput } from '../errors.js';
import { MAX_DEVICE_NO_LENGTH } from '../protocol/device-number.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { imageAddressFor, originFor } from '../server/image-address.js';
import { cabinetState, cabinetSummary, isDeviceNo } from './cabinet-state.js';
import { sendError, type ControlParts } from './control-api.js';
import {
  cabinetStateSchema,
  cabinetSummarySchema,
  deviceParams,
  errorSchema,
} from './control-schemas.js';

export interface DeviceRequest {
  Params: { deviceNo: string };
}

/** The 404 of a path whose device number is no device number. */
export const notADeviceNo = (deviceNo: string) =>
  `not a device number: ${quoteInput(deviceNo)}; expected 1 to ${MAX_DEVICE_NO_LENGTH} characters, not only spaces`;

/** Picture addresses as the API client reached the emulator. */
export function imageAddressOf(
  request: FastifyRequest,
  { origin }: Pick<ControlParts, 'origin'>,
) {
  return imageAddressFor(originFor(request, origin()), 'absolute');
}

/** `GET /emulator/cabinets` and `GET /emulator/cabinets/{deviceNo}`. */
export function registerCabinetRoutes(
  api: FastifyInstance,
  parts: ControlParts,
): void {
  api.get(
    '/cabinets',
    {
      schema: {
        tags: ['cabinets'],
        summary: 'Every known cabinet',
        description:
          'The devices the fixtures name, demo-cabinet, and every device that has had a session or a scenario of its own, by device number. Any other device number is served by the default cabinet too; ask for it by number.',
        response: {
          200: {
            type: 'object',
            properties: {
              cabinets: { type: 'array', items: cabinetSummarySchema },
            },
            required: ['cabinets'],
          },
        },
      },
    },
    async () => ({
      cabinets: parts.fleet
        .knownDevices()
        .map((deviceNo) => cabinetSummary(parts, deviceNo)),
    }),
  );

  api.get<DeviceRequest>(
    '/cabinets/:deviceNo',
    {
      schema: {
        tags: ['cabinets'],
        summary: 'One cabinet as it is now',
        description:
          'The cabinet at rest (its fixture, the door locked) when no session runs; else as the session has left it: stock, what the shopper holds, live load-cell readings, alarms, anomalies and the basket. A device number no fixture names is served by the default cabinet, as on the purchase socket; 404 only for a path that holds no device number.',
        params: deviceParams,
        response: { 200: cabinetStateSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { deviceNo } = request.params;

      if (!isDeviceNo(deviceNo)) {
        return sendError(reply, 404, notADeviceNo(deviceNo));
      }
      return cabinetState(parts, deviceNo, imageAddressOf(request, parts));
    },
  );
}
