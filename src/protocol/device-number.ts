// Long enough for any device number seen on a cabinet's sticker, short
// enough that no one mistakes a pasted address for one.
export const MAX_DEVICE_NO_LENGTH = 64;

// C0 controls, DEL and C1 controls (which some terminals also obey).
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

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
