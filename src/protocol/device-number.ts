// Long enough for any device number seen on a cabinet's sticker, short
// enough that no one mistakes a pasted address for one.
export const MAX_DEVICE_NO_LENGTH = 64;

// C0 controls, DEL and C1 controls (which some terminals also obey), and
// the bidirectional formatting characters, which reorder the text around
// them on a screen.
const CONTROL_CHARACTER =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** What is wrong with a device number, for the client and for the log. */
export interface DeviceNoProblem {
  /** For people, in the cloud's language: the vendor's screen shows it. */
  message: string;
  /** A short English summary, for close reasons and logs. */
  reason: string;
}

/** Checks a device number from a client; `undefined` when it is usable. */
export function deviceNoProblem(deviceNo: string): DeviceNoProblem | undefined {
  if (deviceNo.trim() === '') {
    return {
      message: '设备编号不能为空',
      reason: 'missing query parameter: deviceNo',
    };
  }
  // An escape sequence in a device number would reach the terminal of
  // whoever lists the orders; no sticker carries one.
  if (CONTROL_CHARACTER.test(deviceNo)) {
    return {
      message: '设备编号含有控制字符',
      reason: 'deviceNo contains control characters',
    };
  }
  if ([...deviceNo].length > MAX_DEVICE_NO_LENGTH) {
    return {
      message: `设备编号过长(最多${MAX_DEVICE_NO_LENGTH}个字符)`,
      reason: `deviceNo longer than ${MAX_DEVICE_NO_LENGTH} characters`,
    };
  }

  return undefined;
}

/**
 * Why a device number written in a file (a cabinet fixture, a scenario)
 * could never be reached by a shopper, or undefined when it can.
 */
export function writtenDeviceNoProblem(deviceNo: string): string | undefined {
  if (deviceNo.trim() === '') return 'a device number cannot be blank';
  if (deviceNo !== deviceNo.trim()) {
    return `${JSON.stringify(deviceNo)} has spaces around it; the purchase socket drops them, so no shopper would reach this device: write ${JSON.stringify(deviceNo.trim())}`;
  }

  const problem = deviceNoProblem(deviceNo);

  return problem && `${JSON.stringify(deviceNo)}: ${problem.reason}`;
}

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');

/**
 * `text` with every character a device number may not hold written as a
 * `\uXXXX` escape, for printing on a terminal.
 *
 * @example escapeControlCharacters('A\u001bB') // 'A\\u001bB'
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
