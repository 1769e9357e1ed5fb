import { describe, expect, it } from 'vitest';
import { WIFI_ERROR, WIFI_STATE } from '../../../src/device/protocol/constants.js';
import { describeWifi } from '../../../src/device/wifi.js';

const status = (state: number, error: number, ssid = '', url = '') => ({ state, error, ssid, url }) as Parameters<typeof describeWifi>[0];

describe('describeWifi', () => {
  it('says what each state means', () => {
    expect(describeWifi(status(WIFI_STATE.authorized, WIFI_ERROR.none))).toEqual({ tone: 'idle', text: 'Not on Wi-Fi yet.' });
    expect(describeWifi(status(WIFI_STATE.authorizationRequired, WIFI_ERROR.none)).text).toContain('press its button');
    expect(describeWifi(status(WIFI_STATE.provisioning, WIFI_ERROR.none, 'Lab'))).toEqual({ tone: 'busy', text: 'Joining “Lab”…' });
    expect(describeWifi(status(WIFI_STATE.provisioned, WIFI_ERROR.none, 'Lab', 'http://10.0.0.9'))).toEqual({ tone: 'ok', text: "On Wi-Fi “Lab”. The device's page: http://10.0.0.9" });
  });

  it('turns each error into what to do, whatever the state says', () => {
    const cannotJoin = describeWifi(status(WIFI_STATE.authorized, WIFI_ERROR.unableToConnect, 'Lab'));
    expect(cannotJoin).toMatchObject({ tone: 'error', text: 'The device could not join “Lab”.' });
    expect(cannotJoin.hint).toContain('password');
    expect(describeWifi(status(WIFI_STATE.authorizationRequired, WIFI_ERROR.notAuthorized)).hint).toContain('Press the button');
    expect(describeWifi(status(WIFI_STATE.authorized, 0x7f)).text).toContain('error 127');
  });
});
