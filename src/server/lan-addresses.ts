import { networkInterfaces } from 'node:os';

/** This machine's IPv4 addresses that other machines on its network can dial. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
}
