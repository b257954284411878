// One string of a language: the source and its translation side by side (the translation in the language's own
// direction), with editing, review and approval, comments and the string's history.
import {
  Button,
  Checkbox,
  Details,
  Field,
  Heading,
  Label,
  Paragraph,
  Tag,
  Textarea,
} from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemMessage } from '../ui/problem.tsx';
import { localizedProblem } from './problem.ts';
import {
  type LanguageRef,
  type TranslationString,
  useAddComment,
  useChangeStatus,
  useEditString,
} from './queries.ts';
import { StatusTag } from './status-tag.tsx';

export function StringCard(props: {
  lang: LanguageRef & { name: string; dir: 'ltr' | 'rtl' };
  s: TranslationString;
  index: number;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const { t, i18n } = useTranslation('console-translations');
  const { lang, s } = props;
  const [text, setText] = useState(s.text ?? '');
  const [comment, setComment] = useState('');
  const edit = useEditString(lang);
  const status = useChangeStatus(lang);
  const addComment = useAddComment(lang);
  const id = `tr-${props.index}`;
  const when = (at: string) => new Date(at).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'nb-NO');
  return (
    <li>
      <article
        className="ds-card svar-tr-card"
        aria-labelledby={`${id}-key`}
        style={{ padding: 'var(--ds-size-4)' }}
      >
        <div className="svar-tr-row-head">
          <Checkbox
            aria-label={t('strings.select', { key: s.key })}
            checked={props.selected}
            onChange={(e) => props.onSelect(e.target.checked)}
          />
          <Heading level={3} data-size="2xs" id={`${id}-key`} className="svar-tr-key">
            {s.key}
          </Heading>
          <StatusTag status={s.status} />
          {s.waitingForNextVersion && (
            <Tag data-color="warning" data-size="sm">
              {t('strings.nextVersion')}
            </Tag>
          )}
          <Paragraph data-size="xs">{t('strings.module', { module: s.module })}</Paragraph>
        </div>
        <div className="svar-tr-pair">
          <div>
            <Paragraph data-size="sm" id={`${id}-src`}>
              <strong>{t('strings.source')}</strong>
            </Paragraph>
            <blockquote lang="nb" aria-labelledby={`${id}-src`}>
              {s.source}
            </blockquote>
          </div>
          <Field>
            <Label htmlFor={`${id}-text`}>{t('strings.translation', { language: lang.name })}</Label>
            <Textarea
              id={`${id}-text`}
              lang={lang.locale}
              dir={lang.dir}
              rows={2}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </Field>
        </div>
        <div className="svar-tr-toolbar">
          <Button
            data-size="sm"
            disabled={edit.isPending || text.trim() === '' || text === (s.text ?? '')}
            onClick={() => edit.mutate({ key: s.key, text })}
          >
            {t('strings.save')}
          </Button>
          {s.status === 'draft' && (
            <Button
              data-size="sm"
              variant="secondary"
              disabled={status.isPending}
              onClick={() => status.mutate({ keys: [s.key], status: 'reviewed' })}
            >
              {t('strings.markReviewed')}
            </Button>
          )}
          {s.status === 'reviewed' && (
            <Button
              data-size="sm"
              variant="secondary"
              disabled={status.isPending}
              onClick={() => status.mutate({ keys: [s.key], status: 'approved' })}
            >
              {t('strings.approve')}
            </Button>
          )}
        </div>
        <ProblemMessage error={localizedProblem(edit.error ?? status.error ?? addComment.error, t)} />
        <Details>
          <Details.Summary>{t('strings.comments', { count: s.comments.length })}</Details.Summary>
          <Details.Content>
            <ul>
              {s.comments.map((c) => (
                <li key={c.id}>
                  <strong>{c.by}</strong> ({when(c.at)}, {t('strings.inVersion', { version: c.version })}):{' '}
                  {c.body}
                </li>
              ))}
            </ul>
            <Field>
              <Label htmlFor={`${id}-comment`}>{t('strings.newComment')}</Label>
              <Textarea
                id={`${id}-comment`}
                rows={2}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            </Field>
            <Button
              data-size="sm"
              variant="tertiary"
              disabled={addComment.isPending || comment.trim() === ''}
              onClick={() =>
                addComment.mutate({ key: s.key, body: comment }, { onSuccess: () => setComment('') })
              }
            >
              {t('strings.addComment')}
            </Button>
          </Details.Content>
        </Details>
        <Details>
          <Details.Summary>{t('strings.history', { count: s.history.length })}</Details.Summary>
          <Details.Content>
            {s.history.length === 0 && <Paragraph data-size="sm">{t('strings.noHistory')}</Paragraph>}
            <ol>
              {s.history.map((h) => (
                <li key={`${h.at}-${h.action}-${h.status}`}>
                  {when(h.at)}: {h.by} — {t(`action.${h.action}`, { status: t(`status.${h.status}`) })}
                  {h.text && (
                    <>
                      {' '}
                      «
                      <span lang={lang.locale} dir={lang.dir}>
                        {h.text}
                      </span>
                      »
                    </>
                  )}
                </li>
              ))}
            </ol>
          </Details.Content>
        </Details>
      </article>
    </li>
  );
}
