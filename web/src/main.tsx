// Web entry: the staff pages (respondent pages arrive with the respondent issue).
import { createRoot } from 'react-dom/client';
import { initI18n } from './i18n.ts';
import { StaffHome } from './staff/staff-home.tsx';
import './styles.css';

const lng = navigator.language.startsWith('en') ? 'en' : 'nb';
const i18n = await initI18n(lng);
document.documentElement.lang = lng;

createRoot(document.getElementById('root')!).render(
  <main>
    <h1>{i18n.t('app.name')}</h1>
    <p>{i18n.t('app.tagline')}</p>
    <StaffHome i18n={i18n} />
  </main>,
);
