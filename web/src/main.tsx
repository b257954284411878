// Web entry: respondent pages (/s/<token>), the accessibility statement, and the staff pages. Each is loaded only
// where it is used, so respondents do not download the staff pages and staff do not download SurveyJS.
import { createRoot } from 'react-dom/client';

const root = createRoot(document.getElementById('root')!);
const path = window.location.pathname;

async function start() {
  const link = path.match(/^\/s\/([A-Za-z0-9_-]+)\/?$/);
  if (link) {
    const { RespondentApp } = await import('./respondent/respondent-app.tsx');
    root.render(<RespondentApp token={link[1]!} />);
    return;
  }
  if (path === '/accessibility') {
    const [
      { AccessibilityStatement },
      { applyDocumentLanguage, browserLanguage, createRespondentI18n, respondentLanguages },
    ] = await Promise.all([import('./accessibility/statement.tsx'), import('./respondent/i18n.ts')]);
    await import('./respondent/respondent.css');
    const asked = new URLSearchParams(window.location.search).get('lang');
    const lng = asked && respondentLanguages.includes(asked) ? asked : browserLanguage();
    applyDocumentLanguage(lng);
    root.render(<AccessibilityStatement i18n={await createRespondentI18n(lng)} />);
    return;
  }
  const [{ initI18n }, { StaffHome }] = await Promise.all([
    import('./i18n.ts'),
    import('./staff/staff-home.tsx'),
  ]);
  await import('./styles.css');
  const lng = navigator.language.startsWith('en') ? 'en' : 'nb';
  const i18n = await initI18n(lng);
  document.documentElement.lang = lng;
  root.render(
    <main>
      <h1>{i18n.t('app.name')}</h1>
      <p>{i18n.t('app.tagline')}</p>
      <StaffHome i18n={i18n} />
    </main>,
  );
}

void start();
