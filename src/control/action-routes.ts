import type { FastifyInstance } from 'fastify';
import { ActionRefusedError } from '../errors.js';
import { stepFromDocument } from '../scenario/scenario-document.js';
import { checkStepEntry } from '../scenario/scenario-file.js';
import { cabinetState, isDeviceNo } from './cabinet-state.js';
import {
  imageAddressOf,
  notADeviceNo,
  type DeviceRequest,
} from './cabinet-routes.js';
import { sendError, type ControlParts } from './control-api.js';
import {
  cabinetStateSchema,
  deviceParams,
  errorSchema,
  stepBodySchema,
} from './control-schemas.js';

/**
 * `POST /emulator/cabinets/{deviceNo}/actions`: one step, in the scenario
 * files' grammar, played on the device's running purchase now.
 */
export function registerActionRoutes(
  api: FastifyInstance,
  parts: ControlParts,
): void {
  api.post<DeviceRequest & { Body: string | Record<string, unknown> }>(
    '/cabinets/:deviceNo/actions',
    {
      schema: {
        tags: ['cabinets'],
        summary: 'Play one step on the running purchase now',
        description:
          "The step is checked as a scenario file's step would be (400 with the same messages), then against the cabinet as it is now (422: an aisle it lacks, more than is on the shelf, more put back than the shopper holds, goods behind a door that is not open). 409 when the device has no running purchase. Answers with the cabinet after the step; a basket changes only once the scales settle, about 2 s later, as the update frame shows.",
        params: deviceParams,
        body: stepBodySchema(),
        response: {
          200: cabinetStateSchema,
          400: errorSchema,
          404: errorSchema,
          409: errorSchema,
          422: errorSchema,
        },
      },
      // The scenario loader's own check, so that a wrong step gets the
      // message a wrong step in a file gets; the schema above documents it.
      validatorCompiler: ({ httpPart }) =>
        httpPart === 'body'
          ? (body: unknown) => {
              const problems = checkStepEntry(body);

              return problems.length === 0
                ? { value: body }
                : { error: stepError(problems) };
            }
          : (value: unknown) => ({ value }),
    },
    async (request, reply) => {
      const { deviceNo } = request.params;

      if (!isDeviceNo(deviceNo)) {
        return sendError(reply, 404, notADeviceNo(deviceNo));
      }

      const session = parts.fleet.sessionAt(deviceNo);

      if (!session || session.isOver) {
        return sendError(
          reply,
          409,
          `no purchase is running at device ${deviceNo}; connect a shopper to the purchase socket first`,
        );
      }
      try {
        session.act(stepFromDocument(request.body));
      } catch (err) {
        if (err instanceof ActionRefusedError) {
          return sendError(reply, 422, err.message);
        }
        throw err;
      }
      request.log.info(
        { deviceNo, sessionId: session.id, step: request.body },
        'control action played',
      );

      return cabinetState(parts, deviceNo, imageAddressOf(request, parts));
    },
  );
}

function stepError(problems: readonly string[]): Error {
  return Object.assign(new Error(`not a step: ${problems.join('; ')}`), {
    statusCode: 400,
  });
}
