// A language's strings for review: filter by status and module, edit, comment, mark reviewed or approve one by one
// or the selected ones, and take the whole language to and from a CAT tool as XLIFF.
import {
  Alert,
  Button,
  Checkbox,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  Spinner,
} from '@digdir/designsystemet-react';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiResponse } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { localizedProblem } from './problem.ts';
import {
  type LanguageRef,
  languagePath,
  type StringStatus,
  statuses,
  useChangeStatus,
  useLanguageStrings,
  useUploadXliff,
} from './queries.ts';
import { StringCard } from './string-card.tsx';
import './translations.css';

const pageSize = 50;

export function TranslationStringsPage(props: { instrumentId: string; version: number; locale: string }) {
  const { t } = useTranslation('console-translations');
  const ref: LanguageRef = props;
  const data = useLanguageStrings(ref);
  const [status, setStatus] = useState<'' | StringStatus>('');
  const [module, setModule] = useState('');
  const [shown, setShown] = useState(pageSize);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const bulk = useChangeStatus(ref);
  const [done, setDone] = useState('');

  const visible = useMemo(
    () =>
      (data.data?.strings ?? []).filter(
        (s) => (!status || s.status === status) && (!module || s.module === module),
      ),
    [data.data, status, module],
  );
  const chosen = visible.filter((s) => selected.has(s.key)).map((s) => s.key);
  const allChosen = visible.length > 0 && chosen.length === visible.length;
  const select = (keys: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const k of keys) on ? next.add(k) : next.delete(k);
      return next;
    });
  const change = (to: 'reviewed' | 'approved') =>
    bulk.mutate(
      { keys: chosen, status: to },
      {
        onSuccess: (r) => {
          setSelected(new Set());
          setDone(t(`bulk.done.${to}`, { count: r.changed }));
        },
      },
    );

  if (data.isPending) return <Spinner aria-label={t('loading')} />;
  if (!data.data) return <ProblemMessage error={localizedProblem(data.error, t)} />;
  const l = data.data;
  const lang = { ...ref, name: l.name, dir: l.dir };
  return (
    <>
      <Paragraph>
        <Link to="/translations">{t('strings.back')}</Link>
      </Paragraph>
      <Heading level={1} data-size="lg">
        <span lang={l.locale} dir={l.dir}>
          {l.name}
        </span>{' '}
        – {t('strings.title', { instrument: l.instrumentId, version: l.version })}
      </Heading>
      <Paragraph aria-live="polite">
        {statuses.map((s) => t('count', { count: l.counts[s], status: t(`status.${s}`) })).join(', ')}
      </Paragraph>
      <Xliff lang={lang} />
      <div className="svar-tr-toolbar">
        <Field>
          <Label htmlFor="tr-status">{t('strings.filterStatus')}</Label>
          <Select
            id="tr-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as '' | StringStatus)}
          >
            <Select.Option value="">{t('strings.all')}</Select.Option>
            {statuses.map((s) => (
              <Select.Option key={s} value={s}>
                {t(`status.${s}`)} ({l.counts[s]})
              </Select.Option>
            ))}
          </Select>
        </Field>
        <Field>
          <Label htmlFor="tr-module">{t('strings.filterModule')}</Label>
          <Select id="tr-module" value={module} onChange={(e) => setModule(e.target.value)}>
            <Select.Option value="">{t('strings.all')}</Select.Option>
            {l.modules.map((m) => (
              <Select.Option key={m} value={m}>
                {m}
              </Select.Option>
            ))}
          </Select>
        </Field>
      </div>
      <section aria-labelledby="tr-bulk" className="svar-tr-toolbar">
        <Heading level={2} data-size="2xs" id="tr-bulk">
          {t('bulk.title', { count: chosen.length })}
        </Heading>
        <Checkbox
          label={t('bulk.all', { count: visible.length })}
          checked={allChosen}
          onChange={(e) =>
            select(
              visible.map((s) => s.key),
              e.target.checked,
            )
          }
        />
        <Button
          data-size="sm"
          disabled={chosen.length === 0 || bulk.isPending}
          onClick={() => change('reviewed')}
        >
          {t('bulk.reviewed')}
        </Button>
        <Button
          data-size="sm"
          disabled={chosen.length === 0 || bulk.isPending}
          onClick={() => change('approved')}
        >
          {t('bulk.approved')}
        </Button>
        {bulk.isPending && <Spinner aria-label={t('saving')} data-size="sm" />}
      </section>
      <div aria-live="polite">
        {done && !bulk.error && (
          <Alert data-color="success" data-size="sm">
            {done}
          </Alert>
        )}
      </div>
      <ProblemMessage error={localizedProblem(bulk.error, t)} />
      <Heading level={2} data-size="sm">
        {t('strings.list', { count: visible.length })}
      </Heading>
      {visible.length === 0 && <Paragraph>{t('strings.none')}</Paragraph>}
      <ul className="svar-tr-list">
        {visible.slice(0, shown).map((s, i) => (
          <StringCard
            key={`${s.key}:${s.text ?? ''}`}
            lang={lang}
            s={s}
            index={i}
            selected={selected.has(s.key)}
            onSelect={(on) => select([s.key], on)}
          />
        ))}
      </ul>
      {visible.length > shown && (
        <Button variant="secondary" onClick={() => setShown((n) => n + pageSize)}>
          {t('strings.more', { count: Math.min(pageSize, visible.length - shown) })}
        </Button>
      )}
    </>
  );
}

/** Download and upload of the language as XLIFF 2.0. */
function Xliff({ lang }: { lang: LanguageRef & { name: string } }) {
  const { t } = useTranslation('console-translations');
  const upload = useUploadXliff(lang);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setDownloadError(null);
    try {
      const r = await apiResponse(`${languagePath(lang)}/xliff`);
      const url = URL.createObjectURL(await r.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${lang.instrumentId}-v${lang.version}-${lang.locale}.xlf`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setDownloadError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="tr-xliff" className="svar-tr-toolbar">
      <Heading level={2} data-size="2xs" id="tr-xliff">
        {t('xliff.title')}
      </Heading>
      <Button data-size="sm" variant="secondary" disabled={busy} onClick={download}>
        {t('xliff.download')}
      </Button>
      <Field>
        <Label htmlFor="tr-upload">{t('xliff.upload')}</Label>
        <input
          id="tr-upload"
          type="file"
          accept=".xlf,.xliff,application/xliff+xml"
          disabled={upload.isPending}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) upload.mutate(file);
            e.target.value = '';
          }}
        />
      </Field>
      <div aria-live="polite">
        {upload.isPending && <Spinner aria-label={t('xliff.uploading')} data-size="sm" />}
        {upload.data && (
          <Alert data-color="success" data-size="sm">
            {t('xliff.uploaded', { count: upload.data.changed })}
          </Alert>
        )}
      </div>
      <ProblemMessage error={localizedProblem(upload.error ?? downloadError, t)} />
    </section>
  );
}
