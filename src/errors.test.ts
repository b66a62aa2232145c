import { describe, expect, it } from 'vitest';
import { ScenarioError, ScenarioFileError } from './errors.js';

describe('ScenarioError', () => {
  it('keeps the one-problem form: the step counted from 1, then the problem', () => {
    const err = new ScenarioError('x', 'no aisle 1', 2);

    expect(err.message).toBe('scenario "x": step 3: no aisle 1');
    expect([err.code, err.stepIndex, err.problem]).toEqual([
      'EMU_ERR_SCENARIO_INVALID',
      2,
      'no aisle 1',
    ]);
    expect(err.problems).toEqual([{ stepIndex: 2, message: 'no aisle 1' }]);
  });

  it('lists several problems one a line; the first gives stepIndex', () => {
    const err = new ScenarioError('x', [
      { stepIndex: 4, field: 'onto', message: 'no aisle 2' },
      { message: 'the door is left open' },
    ]);

    expect(err.message).toBe(
      'scenario "x": step 5: no aisle 2\nscenario "x": the door is left open',
    );
    expect([err.stepIndex, err.problem]).toEqual([4, 'no aisle 2']);
  });

  it('needs at least one problem', () => {
    expect(() => new ScenarioError('x', [])).toThrow(RangeError);
  });
});

describe('ScenarioFileError', () => {
  const problem = {
    file: 'x.yaml',
    line: 2,
    column: 3,
    path: 'timeline[0]',
    message: 'wrong',
  };

  it('counts one problem not shown as a problem, more as problems', () => {
    expect(new ScenarioFileError([problem], 1).message).toBe(
      'x.yaml:2:3: timeline[0]: wrong\n(1 more problem not shown)',
    );
    expect(new ScenarioFileError([problem], 2).message).toBe(
      'x.yaml:2:3: timeline[0]: wrong\n(2 more problems not shown)',
    );
  });
});
