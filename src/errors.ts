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
  constructor(message: string) {
    super('EMU_ERR_CONFIG_INVALID', message);
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

/** No scenario has the requested name. */
export class UnknownScenarioError extends EmulatorError {
  constructor(name: string, known: readonly string[]) {
    super(
      'EMU_ERR_SCENARIO_UNKNOWN',
      `unknown scenario "${name}"; expected one of: ${known.join(', ')}`,
    );
  }
}

/** A scenario asks for something the cabinet it runs on cannot do. */
export class ScenarioError extends EmulatorError {
  constructor(scenario: string, message: string) {
    super('EMU_ERR_SCENARIO_INVALID', `scenario "${scenario}": ${message}`);
  }
}

/** A second shopper tried to use a cabinet that is already in a purchase. */
export class DeviceBusyError extends EmulatorError {
  readonly deviceNo: string;

  constructor(deviceNo: string) {
    super('EMU_ERR_DEVICE_BUSY', `device ${deviceNo} is already in a session`);
    this.deviceNo = deviceNo;
  }
}

/** A value cannot be written to the wire in the form the protocol requires. */
export class WireFormatError extends EmulatorError {
  constructor(message: string) {
    super('EMU_ERR_WIRE_FORMAT', message);
  }
}
