// Web entry: respondent pages (/s/<token>), the accessibility statement, and the staff console. Each is loaded only
// where it is used, so respondents do not download the console and staff do not download SurveyJS up front.
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
  const { startConsole } = await import('./console/app.tsx');
  await startConsole(root);
}

void start();
