// Entry of the respondent's page (/s/<token>, web/respond.html): only what a respondent needs. The page shell
// paints at once; SurveyJS (most of the bytes) is preloaded by the HTML and joins when it has arrived.
import { createRoot } from 'react-dom/client';
import { RespondentApp } from './respondent/respondent-app.tsx';

const token = window.location.pathname.match(/^\/s\/([^/]+)\/?$/)?.[1] ?? '';
createRoot(document.getElementById('root')!).render(<RespondentApp token={token} />);
