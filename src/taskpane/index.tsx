import { FluentProvider, webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
import { bakedConfig } from '../config';
import { App } from './App';
import { createServices } from './services';

/** Follows Office's theme: a dark body background means the dark Fluent theme. */
function officeTheme(): Theme {
  const background =
    typeof Office !== 'undefined' ? Office.context?.officeTheme?.bodyBackgroundColor : undefined;
  if (!background) return webLightTheme;
  const hex = background.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const luminance = (0.2126 * (r ?? 255) + 0.7152 * (g ?? 255) + 0.0722 * (b ?? 255)) / 255;
  return luminance < 0.5 ? webDarkTheme : webLightTheme;
}

function start(host: Office.HostType | null | undefined): void {
  const root = document.getElementById('root');
  if (!root) return;
  const services = createServices(bakedConfig(), host);
  createRoot(root).render(
    <FluentProvider theme={officeTheme()}>
      <App services={services} />
    </FluentProvider>,
  );
}

// Outside Office (a plain browser), Office.onReady still resolves, with no host; without Office.js
// at all (blocked CDN) the pane starts as a web page.
if (typeof Office === 'undefined') start(null);
else void Office.onReady((info) => start(info.host));
