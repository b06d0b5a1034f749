import type { GriffelStyle } from '@fluentui/react-components';

/** Read by screen readers, takes no place on screen: for live regions and words that only help listeners. */
export const VISUALLY_HIDDEN: GriffelStyle = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
};
