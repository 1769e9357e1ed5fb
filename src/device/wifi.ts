import { WIFI_ERROR, WIFI_STATE } from './protocol/constants.js';
import type { WifiStatus } from './protocol/messages.js';

/** A device's Wi-Fi status in words a user can act on (states and errors as Improv defines them). */
export type WifiDescription = { tone: 'idle' | 'busy' | 'ok' | 'error'; text: string; hint?: string };

export function describeWifi(status: WifiStatus): WifiDescription {
  const network = status.ssid ? `“${status.ssid}”` : 'the network';
  switch (status.error) {
    case WIFI_ERROR.none:
      break;
    case WIFI_ERROR.unableToConnect:
      return { tone: 'error', text: `The device could not join ${network}.`, hint: 'Check the network name and password, and that the device is in range of a 2.4 GHz access point.' };
    case WIFI_ERROR.notAuthorized:
      return { tone: 'error', text: 'The device did not accept Wi-Fi settings: it was not authorized.', hint: 'Press the button on the device, then send the settings again.' };
    default:
      return { tone: 'error', text: `The device could not apply the Wi-Fi settings (error ${status.error}).`, hint: 'Update the device firmware, or try again after a restart of the device.' };
  }
  switch (status.state) {
    case WIFI_STATE.authorizationRequired:
      return { tone: 'idle', text: 'The device asks you to press its button before it accepts Wi-Fi settings.' };
    case WIFI_STATE.provisioning:
      return { tone: 'busy', text: `Joining ${network}…` };
    case WIFI_STATE.provisioned:
      return { tone: 'ok', text: `On Wi-Fi ${network}.${status.url ? ` The device's page: ${status.url}` : ''}` };
    default:
      return { tone: 'idle', text: 'Not on Wi-Fi yet.' };
  }
}
