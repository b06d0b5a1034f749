import {
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Spinner,
} from '@fluentui/react-components';
import type { ReactElement } from 'react';

/**
 * After the first check, the three sources folded into one "Check again" menu. Its own chunk: menus
 * and their positioning are not needed on the first screen, which shows the sources as buttons.
 */
export function CheckAgainMenu(props: {
  className: string;
  disabled: boolean;
  signingIn: boolean;
  hasMessage: boolean;
  onContacts: () => void;
  onMessage: () => void;
  onPickFile: () => void;
}): ReactElement {
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton
          className={props.className}
          disabled={props.disabled}
          icon={props.signingIn ? <Spinner size="tiny" /> : undefined}
        >
          {props.signingIn ? 'Signing in…' : 'Check again'}
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuItem onClick={props.onContacts}>My contacts</MenuItem>
          {props.hasMessage && <MenuItem onClick={props.onMessage}>People on this message</MenuItem>}
          <MenuItem onClick={props.onPickFile}>Import a contacts file…</MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
