// Every screen of the console and who may open it (TanStack Router, routes declared in code). Page components take
// their route params as props, so each area's pages stay plain components its own engineer owns.
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { ExportsPage } from './exports/exports-page.tsx';
import { FactsheetPage } from './exports/factsheet-page.tsx';
import { FactsheetsPage } from './exports/factsheets-page.tsx';
import { MunicipalityHome } from './exports/municipality-home.tsx';
import { DelegationsPage, MonitorPage, NewWavePage, WavePage, WavesPage } from './fieldwork/pages.tsx';
import { homeOf, type RouterContext, requireRoles, requireSession } from './guards.ts';
import { InstrumentDiffPage } from './instruments/diff-page.tsx';
import { InstrumentPage } from './instruments/instrument-page.tsx';
import { InstrumentsPage } from './instruments/instruments-page.tsx';
import { PreviewPage } from './instruments/preview-route.tsx';
import { Layout } from './layout.tsx';
import { LoginPage } from './login.tsx';
import { ErrorPage, NotFoundPage } from './not-found.tsx';
import { TranslationStringsPage, TranslationsPage } from './translations/pages.tsx';
import { UsersPage } from './users/users-page.tsx';

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Layout,
  notFoundComponent: NotFoundPage,
  errorComponent: ErrorPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (s: Record<string, unknown>): { next?: string } =>
    typeof s.next === 'string' && s.next.startsWith('/') && !s.next.startsWith('//') ? { next: s.next } : {},
  component: () => <LoginPage next={loginRoute.useSearch().next} />,
});

/** Everything below needs a session; the layout route has no path of its own. */
const staffRoute = createRoute({ getParentRoute: () => rootRoute, id: 'staff', beforeLoad: requireSession });

const homeRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/',
  beforeLoad: ({ context }) => {
    throw redirect({ to: homeOf(context.session.user.role) });
  },
});

const analyst = requireRoles('analyst');

const wavesRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/waves',
  beforeLoad: analyst,
  component: WavesPage,
});
const newWaveRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/waves/new',
  beforeLoad: requireRoles(),
  component: NewWavePage,
});
const waveRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/waves/$waveId',
  beforeLoad: analyst,
  component: () => <WavePage waveId={waveRoute.useParams().waveId} />,
});
const monitorRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/waves/$waveId/monitor',
  beforeLoad: analyst,
  component: () => <MonitorPage waveId={monitorRoute.useParams().waveId} />,
});
const delegationsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/waves/$waveId/delegations',
  beforeLoad: analyst,
  component: () => <DelegationsPage waveId={delegationsRoute.useParams().waveId} />,
});
const factsheetRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/waves/$waveId/factsheets/$municipality',
  beforeLoad: requireRoles('analyst', 'municipality'),
  component: () => {
    const { waveId, municipality } = factsheetRoute.useParams();
    return <FactsheetPage waveId={waveId} municipality={municipality} />;
  },
});

const translationsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/translations',
  beforeLoad: requireRoles('translator'),
  component: TranslationsPage,
});
const translationStringsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/translations/$instrumentId/$version/$locale',
  beforeLoad: requireRoles('translator'),
  component: () => {
    const { instrumentId, version, locale } = translationStringsRoute.useParams();
    return <TranslationStringsPage instrumentId={instrumentId} version={Number(version)} locale={locale} />;
  },
});

const usersRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/users',
  beforeLoad: requireRoles(),
  component: UsersPage,
});

const instrumentsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/instruments',
  beforeLoad: analyst,
  component: InstrumentsPage,
});
const instrumentRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/instruments/$instrumentId',
  beforeLoad: analyst,
  component: () => <InstrumentPage instrumentId={instrumentRoute.useParams().instrumentId} />,
});
const diffRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/instruments/$instrumentId/diff',
  beforeLoad: analyst,
  validateSearch: (s: Record<string, unknown>): { from?: number; to?: number } => ({
    ...(Number.isInteger(Number(s.from)) && s.from !== undefined ? { from: Number(s.from) } : {}),
    ...(Number.isInteger(Number(s.to)) && s.to !== undefined ? { to: Number(s.to) } : {}),
  }),
  component: () => {
    const { from, to } = diffRoute.useSearch();
    return <InstrumentDiffPage instrumentId={diffRoute.useParams().instrumentId} from={from} to={to} />;
  },
});
const previewRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/instruments/$instrumentId/$version/preview',
  beforeLoad: analyst,
  validateSearch: (s: Record<string, unknown>): { lng?: string } =>
    typeof s.lng === 'string' ? { lng: s.lng } : {},
  component: () => {
    const { instrumentId, version } = previewRoute.useParams();
    return (
      <PreviewPage instrumentId={instrumentId} version={Number(version)} lng={previewRoute.useSearch().lng} />
    );
  },
});

const exportsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/exports',
  beforeLoad: analyst,
  component: ExportsPage,
});
const factsheetsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/factsheets',
  beforeLoad: analyst,
  component: FactsheetsPage,
});
const municipalityRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/municipality',
  beforeLoad: requireRoles('municipality'),
  component: MunicipalityHome,
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  staffRoute.addChildren([
    homeRoute,
    wavesRoute,
    newWaveRoute,
    waveRoute,
    monitorRoute,
    delegationsRoute,
    factsheetRoute,
    translationsRoute,
    translationStringsRoute,
    usersRoute,
    instrumentsRoute,
    instrumentRoute,
    diffRoute,
    previewRoute,
    exportsRoute,
    factsheetsRoute,
    municipalityRoute,
  ]),
]);

export function createConsoleRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    // A screen's failure (including "not for your role") shows inside the layout, header and navigation kept.
    defaultErrorComponent: ErrorPage,
    defaultNotFoundComponent: NotFoundPage,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createConsoleRouter>;
  }
}
