import { describe, expect, it } from 'vitest';
import { loadCabinetDirectory } from '../catalogue/load-cabinets.js';
import { BUNDLED_FIXTURES_DIR } from '../config.js';
import { BUILTIN_MODELS } from '../physics/models.js';
import { loadScenario } from '../scenario/scenario-catalogue.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { CabinetFleet } from './cabinet-fleet.js';

const fleet = () =>
  new CabinetFleet({
    directory: loadCabinetDirectory(BUNDLED_FIXTURES_DIR),
    models: BUILTIN_MODELS,
    clock: new VirtualClock(0),
    speed: 1,
    rounding: 'half-up',
    seed: 'fleet',
    defaultScenario: loadScenario('empty'),
  });

describe('CabinetFleet', () => {
  it('plays an assigned scenario from the next session, until it is taken back', () => {
    const cabinets = fleet();

    cabinets.assignScenario('D-1', loadScenario('manual'));
    expect(cabinets.scenarioFor('D-1').name).toBe('manual');
    expect(cabinets.openSession('D-1').scenario.name).toBe('manual');
    cabinets.assignScenario('D-1', undefined);
    expect(cabinets.scenarioFor('D-1').name).toBe('empty');
  });

  it('refuses a scenario that does not fit the device’s cabinet, and keeps the old one', () => {
    const cabinets = fleet();
    const misfit = {
      name: 'misfit',
      description: '',
      steps: [
        { action: 'open-door' as const },
        { action: 'take' as const, aisleId: 1, count: 1 },
        { action: 'close-door' as const },
      ],
    };

    expect(() => cabinets.assignScenario('D-1', misfit)).toThrow(
      'scenario "misfit": step 2: cabinet "default" has no aisle 1',
    );
    expect(cabinets.scenarioFor('D-1').name).toBe('empty');
  });

  it('knows the fixtures’ devices, demo-cabinet and every device it has seen', () => {
    const cabinets = fleet();

    expect(cabinets.knownDevices()).toEqual(['demo-cabinet', 'promo-cabinet']);
    cabinets.openSession('C-9');
    cabinets.assignScenario('B-2', loadScenario('empty'));
    expect(cabinets.knownDevices()).toEqual([
      'B-2',
      'C-9',
      'demo-cabinet',
      'promo-cabinet',
    ]);
  });

  it('tells its listeners of each session before it starts', () => {
    const cabinets = fleet();
    const seen: string[] = [];

    cabinets.onSessionOpened((session) =>
      seen.push(`${session.deviceNo} ${session.isOver}`),
    );
    cabinets.openSession('D-1');
    expect(seen).toEqual(['D-1 false']);
  });
});
