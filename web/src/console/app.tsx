// The staff console: i18n, the shared query cache and the router, started from web/src/main.tsx's staff branch.
// Designsystemet's CSS, the Digdir brand theme and the self-hosted Noto Sans come with this chunk, so the
// respondent page never downloads any of them.
import '@digdir/designsystemet-css';
import '@digdir/designsystemet-theme/digdir.css';
import '../fonts.css';
import './console-fonts.css';
import '../styles.css';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import type { i18n as I18n } from 'i18next';
import { useState } from 'react';
import type { Root } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { ProblemError } from './api.ts';
import { initConsoleI18n, initialConsoleLanguage } from './i18n.ts';
import { applyConsoleLanguage } from './language.ts';
import { createConsoleRouter } from './router.tsx';
import { sessionQueryKey } from './session.ts';

export async function startConsole(root: Root): Promise<void> {
  const lng = initialConsoleLanguage();
  const i18n = await initConsoleI18n(lng);
  applyConsoleLanguage(lng);
  const queryClient: QueryClient = new QueryClient({
    // A session that ended (expired, logged out elsewhere) sends every screen back to the login page.
    queryCache: new QueryCache({
      onError: (err) => {
        if (err instanceof ProblemError && err.status === 401)
          queryClient.setQueryData(sessionQueryKey, null);
      },
    }),
    // A 401/403/404 will not change by asking again; a network blip might.
    defaultOptions: {
      queries: { retry: (n, err) => n < 2 && err instanceof ProblemError && err.status === 0 },
    },
  });
  root.render(<ConsoleApp i18n={i18n} queryClient={queryClient} />);
}

export function ConsoleApp({ i18n, queryClient }: { i18n: I18n; queryClient: QueryClient }) {
  const [router] = useState(() => createConsoleRouter(queryClient));
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
