import { FluentProvider, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { bakedConfig } from '../config';
import { App } from './App';
import { createServices, type PaneServices } from './services';
import { PaneSession } from './session/pane-session';
import { currentTheme, type ThemeKind } from './theme';

function officeBackground(): string | undefined {
  return typeof Office !== 'undefined' ? Office.context?.officeTheme?.bodyBackgroundColor : undefined;
}

const darkQuery = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');

/** The pane in a Fluent provider whose theme follows Office's (or the system's) and changes with it. */
function Root({ services }: { services: PaneServices }): ReactElement {
  // One session for the pane's life: its state lives outside React (see session/pane-session.ts).
  const [session] = useState(() => new PaneSession(services));
  const [theme, setTheme] = useState<ThemeKind>(() => currentTheme(officeBackground(), darkQuery().matches));
  useEffect(() => {
    const update = (): void => setTheme(currentTheme(officeBackground(), darkQuery().matches));
    const query = darkQuery();
    query.addEventListener('change', update);
    // Outlook tells add-ins when its theme changes (Mailbox 1.14); older hosts simply never call.
    const mailbox = services.inOffice ? Office.context.mailbox : undefined;
    const themeEvent = (Office.EventType as unknown as Record<string, Office.EventType | undefined>)
      .OfficeThemeChanged;
    if (mailbox?.addHandlerAsync && themeEvent) mailbox.addHandlerAsync(themeEvent, update);
    return () => query.removeEventListener('change', update);
  }, [services]);
  return (
    <FluentProvider
      theme={theme === 'dark' ? webDarkTheme : webLightTheme}
      data-theme={theme}
      style={{ minHeight: '100vh' }}
    >
      <App session={session} services={services} />
    </FluentProvider>
  );
}

function start(host: Office.HostType | null | undefined): void {
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(<Root services={createServices(bakedConfig(), host)} />);
}

// Outside Office (a plain browser), Office.onReady still resolves, with no host; without Office.js
// at all (blocked CDN) the pane starts as a web page.
if (typeof Office === 'undefined') start(null);
else void Office.onReady((info) => start(info.host));
