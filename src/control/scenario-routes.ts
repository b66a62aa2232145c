import type { FastifyInstance } from 'fastify';
import {
  ConfigError,
  ScenarioError,
  ScenarioFileError,
  UnknownScenarioError,
} from '../errors.js';
import {
  loadScenario,
  OUTSIDE_FOLDER,
} from '../scenario/scenario-catalogue.js';
import type { Scenario } from '../scenario/scenario.js';
import { isDeviceNo } from './cabinet-state.js';
import { notADeviceNo, type DeviceRequest } from './cabinet-routes.js';
import { sendError, type ControlParts } from './control-api.js';
import {
  deviceParams,
  errorSchema,
  scenarioAssignmentSchema,
} from './control-schemas.js';

/**
 * `PUT` and `DELETE /emulator/cabinets/{deviceNo}/scenario`: what the
 * device plays from its next session on.
 */
export function registerScenarioRoutes(
  api: FastifyInstance,
  parts: ControlParts,
): void {
  const { fleet, events } = parts;
  const assignment = (deviceNo: string) => ({
    deviceNo,
    scenario: fleet.scenarioFor(deviceNo).name,
    assigned: fleet.hasAssignedScenario(deviceNo),
  });

  api.put<DeviceRequest & { Body: { scenario: string } }>(
    '/cabinets/:deviceNo/scenario',
    {
      schema: {
        tags: ['cabinets'],
        summary: 'Choose the scenario of the next sessions',
        description:
          "A bundled scenario's name, or a scenario file on the emulator's machine (a path with a slash or a .yaml, .yml or .json ending, relative to the emulator's working directory, and inside it or the fixtures folder: 403 for a path that leads out of both, links followed, for a hidden file or folder, and for a file that is not .yaml, .yml or .json). A running session keeps its own. 404 for an unknown name or a missing file; 422 for a file with problems, or a scenario that does not fit the device's cabinet.",
        params: deviceParams,
        body: {
          type: 'object',
          properties: { scenario: { type: 'string', minLength: 1 } },
          required: ['scenario'],
          additionalProperties: false,
          examples: [{ scenario: 'manual' }],
        },
        response: {
          200: scenarioAssignmentSchema,
          400: errorSchema,
          403: errorSchema,
          404: errorSchema,
          422: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const { deviceNo } = request.params;

      if (!isDeviceNo(deviceNo)) {
        return sendError(reply, 404, notADeviceNo(deviceNo));
      }

      let scenario: Scenario;

      try {
        scenario = loadScenario(request.body.scenario, parts.cwd, {
          confineTo: [parts.cwd, parts.fixturesDir],
        });
        fleet.assignScenario(deviceNo, scenario);
      } catch (err) {
        if (err instanceof UnknownScenarioError) {
          return sendError(reply, 404, err.message);
        }
        if (err instanceof ScenarioFileError) {
          const code = (err.cause as NodeJS.ErrnoException | undefined)?.code;
          const status =
            code === OUTSIDE_FOLDER ? 403 : code === 'ENOENT' ? 404 : 422;

          return sendError(reply, status, err.message);
        }
        if (err instanceof ScenarioError || err instanceof ConfigError) {
          return sendError(reply, 422, err.message);
        }
        throw err;
      }
      request.log.info(
        { deviceNo, scenario: scenario.name },
        'scenario assigned',
      );
      events.publish('scenario-assigned', assignment(deviceNo));

      return assignment(deviceNo);
    },
  );

  api.delete<DeviceRequest>(
    '/cabinets/:deviceNo/scenario',
    {
      schema: {
        tags: ['cabinets'],
        summary: 'Give the device back its start-up scenario',
        description:
          "From its next session the device plays what it played at start-up: its fixture's scenario, or the emulator's --scenario.",
        params: deviceParams,
        response: { 200: scenarioAssignmentSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { deviceNo } = request.params;

      if (!isDeviceNo(deviceNo)) {
        return sendError(reply, 404, notADeviceNo(deviceNo));
      }
      fleet.assignScenario(deviceNo, undefined);
      events.publish('scenario-assigned', assignment(deviceNo));

      return assignment(deviceNo);
    },
  );
}
