import { tokens } from '@fluentui/react-components';
import {
  ArrowSync16Regular,
  CheckmarkCircle16Filled,
  Circle16Regular,
  DismissCircle16Regular,
  HourglassHalf16Regular,
  PeopleTeam16Filled,
  PersonQuestionMark16Regular,
  Warning16Filled,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { RowAnswer } from '../present';

/**
 * Each answer's look, one place for the list, the summary and the dialog: a colour and an icon,
 * so the answer never rests on colour alone. "No" is neutral, not danger: it is an answer, not an
 * error; "Likely via Teams" is positive (brand), "Unknown" a warning.
 */
export const ANSWER_BADGE: Record<
  RowAnswer,
  { color: 'success' | 'brand' | 'informative' | 'subtle' | 'warning'; icon: ReactElement }
> = {
  yes: { color: 'success', icon: <CheckmarkCircle16Filled /> },
  likely: { color: 'brand', icon: <PeopleTeam16Filled /> },
  depends: { color: 'informative', icon: <PersonQuestionMark16Regular /> },
  no: { color: 'subtle', icon: <DismissCircle16Regular /> },
  unknown: { color: 'warning', icon: <Warning16Filled /> },
  checking: { color: 'informative', icon: <ArrowSync16Regular /> },
  'not checked': { color: 'subtle', icon: <Circle16Regular /> },
};

/** The icon of a "No" whose Microsoft 365 evidence is still being asked: still, not animated. */
export const NO_SO_FAR_ICON = <HourglassHalf16Regular />;

/** The summary bar's colour per answer. */
export const ANSWER_FILL: Record<'yes' | 'likely' | 'depends' | 'no' | 'unknown', string> = {
  yes: tokens.colorPaletteGreenBackground3,
  likely: tokens.colorBrandBackground,
  depends: tokens.colorPaletteLavenderBorderActive,
  no: tokens.colorNeutralStrokeAccessible,
  unknown: tokens.colorPaletteDarkOrangeBackground3,
};
