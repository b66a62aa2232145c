/**
 * Every failure the emulator reports on purpose carries a stable `code`, so that
 * callers and tests can tell kinds of failure apart without parsing messages.
 */
export class EmulatorError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option given to the command line or to `startEmulator` is wrong. */
export class ConfigError extends EmulatorError {
  /**
   * When the options were checked by name: each problem as `NAMES: WHAT`,
   * `NAMES` the option fields at fault, comma-separated. A command line
   * shows its own flags in their place.
   */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = []) {
    super('EMU_ERR_CONFIG_INVALID', message);
    this.problems = problems;
  }
}

/** A cabinet fixture file cannot be read or does not describe a valid cabinet. */
export class FixtureError extends EmulatorError {
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super('EMU_ERR_FIXTURE_INVALID', `${file}: ${message}`, options);
    this.file = file;
  }
}

// Enough to recognise what was written; a pasted file or a 1 MiB body
// should not come back whole in the message about it.
const MAX_QUOTED_CHARACTERS = 60;

/**
 * Something a user wrote, quoted for a message as JSON quotes a string,
 * cut after its first 60 characters.
 *
 * @example quoteInput('happy-pth') // '"happy-pth"'
 */
export function quoteInput(text: string): string {
  const characters = Array.from(text);

  return JSON.stringify(
    characters.length <= MAX_QUOTED_CHARACTERS
      ? text
      : `${characters.slice(0, MAX_QUOTED_CHARACTERS).join('')}…`,
  );
}

/** No scenario has the requested name. */
export class UnknownScenarioError extends EmulatorError {
  constructor(name: string, known: readonly string[], suggestion?: string) {
    super(
      'EMU_ERR_SCENARIO_UNKNOWN',
      `unknown scenario ${quoteInput(name)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of: ${known.join(', ')}`,
    );
  }
}

/** One thing wrong with a scenario, as `ScenarioError` lists it. */
export interface ScenarioProblem {
  /** The step at fault, counted from 0; undefined: the scenario as a whole. */
  stepIndex?: number;
  /**
   * The step's field at fault, as `ScenarioStep` names it (`onto`,
   * `fault.reason`); undefined: the step as a whole.
   */
  field?: string;
  message: string;
}

/**
 * A scenario asks for something the cabinet it runs on cannot do. The
 * message lists every problem, one a line.
 *
 * @example new ScenarioError('x', [{ stepIndex: 2, message: 'no aisle 1' }])
 */
export class ScenarioError extends EmulatorError {
  readonly problems: readonly ScenarioProblem[];
  /** The first problem's step, counted from 0; undefined: the whole. */
  readonly stepIndex: number | undefined;
  /** The first problem without the scenario's name and the step number. */
  readonly problem: string;

  constructor(scenario: string, problem: string, stepIndex?: number);
  constructor(scenario: string, problems: readonly ScenarioProblem[]);
  constructor(
    scenario: string,
    problems: string | readonly ScenarioProblem[],
    stepIndex?: number,
  ) {
    const list =
      typeof problems === 'string'
        ? [
            stepIndex === undefined
              ? { message: problems }
              : { stepIndex, message: problems },
          ]
        : problems;
    const [first] = list;

    if (first === undefined)
      throw new RangeError('a ScenarioError needs a problem');
    const lines = list.slice(0, MAX_LISTED_PROBLEMS).map((each) => {
      const step =
        each.stepIndex === undefined ? '' : `step ${each.stepIndex + 1}: `;

      return `scenario "${scenario}": ${step}${each.message}`;
    });
    const omitted = list.length - MAX_LISTED_PROBLEMS;

    if (omitted > 0) lines.push(notShown(omitted));
    super('EMU_ERR_SCENARIO_INVALID', lines.join('\n'));
    this.problems = list;
    this.stepIndex = first.stepIndex;
    this.problem = first.message;
  }
}

/** Where in a scenario file a problem is, and what it is. */
export interface ScenarioFileProblem {
  file: string;
  /** 1-based; 0 when the problem has no place in the file (it is unreadable). */
  line: number;
  column: number;
  /** The field at fault from the document root, as `timeline[3].take.grams`. */
  path: string;
  message: string;
}

/**
 * A scenario file cannot be read, or does not describe a scenario. The
 * message lists every problem found, one per line, as
 * `FILE:LINE:COL: PATH: MESSAGE`.
 */
export class ScenarioFileError extends EmulatorError {
  readonly problems: readonly ScenarioFileProblem[];

  constructor(
    problems: readonly ScenarioFileProblem[],
    omitted = 0,
    options?: ErrorOptions,
  ) {
    const lines = problems.map(formatProblem);

    if (omitted > 0) lines.push(notShown(omitted));
    super('EMU_ERR_SCENARIO_FILE', lines.join('\n'), options);
    this.problems = problems;
  }
}

// A message longer than this is seldom read to its end; the rest is counted.
const MAX_LISTED_PROBLEMS = 20;

function notShown(count: number): string {
  return `(${count} more ${count === 1 ? 'problem' : 'problems'} not shown)`;
}

function formatProblem(problem: ScenarioFileProblem): string {
  const where =
    problem.line > 0
      ? `${problem.file}:${problem.line}:${problem.column}`
      : problem.file;
  const path = problem.path ? `${problem.path}: ` : '';

  return `${where}: ${path}${problem.message}`;
}

/** A second shopper tried to use a cabinet that is already in a purchase. */
export class DeviceBusyError extends EmulatorError {
  readonly deviceNo: string;

  constructor(deviceNo: string) {
    super('EMU_ERR_DEVICE_BUSY', `device ${deviceNo} is already in a session`);
    this.deviceNo = deviceNo;
  }
}

/**
 * A step sent to a running purchase cannot be played now: the door is not in
 * the state it needs, the aisle holds less, the shopper holds less.
 */
export class ActionRefusedError extends EmulatorError {
  constructor(message: string) {
    super('EMU_ERR_ACTION_REFUSED', message);
  }
}

/** A value cannot be written to the wire in the form the protocol requires. */
export class WireFormatError extends EmulatorError {
  constructor(message: string) {
    super('EMU_ERR_WIRE_FORMAT', message);
  }
}

/** The order journal cannot be read, opened or written. */
export class JournalError extends EmulatorError {
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super('EMU_ERR_JOURNAL', `${file}: ${message}`, options);
    this.file = file;
  }
}

/** A TLS certificate or key cannot be read, used or made. */
export class TlsError extends EmulatorError {
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super('EMU_ERR_TLS', `${file}: ${message}`, options);
    this.file = file;
  }
}

/** The scenario runner could not play a scenario to its end. */
export class RunError extends EmulatorError {
  constructor(message: string) {
    super('EMU_ERR_RUN_FAILED', message);
  }
}
