import type { ReactElement } from 'react';
import type { RememberedSwitchView as RememberedSwitch } from '../session/remembered-switch';
import { SettingSwitch } from './SettingSwitch';

/**
 * "Thorough check": off by default, so that every answer comes first and fast. When on, every
 * check also asks what no answer needs (client access, Matrix, Cisco) of everyone.
 */
export function ThoroughSetting({ thorough }: { thorough: RememberedSwitch }): ReactElement {
  return (
    <SettingSwitch
      label="Thorough check"
      checked={thorough.on}
      onChange={(on) => (on ? thorough.turnOn() : thorough.turnOff())}
      explain="Also finds out, for everyone, whether they can sign in to XMPP or Skype for Business from outside, and whether they are on Matrix or Cisco Jabber / Webex. About twice as many questions, so a large address book takes longer. When off, these are asked only when you open a person."
    />
  );
}
