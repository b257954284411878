// A failed call in plain words: what went wrong (the server's message, or the console's own text for the code)
// and, where the server listed them, the field-level problems as a table.
import { Alert, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api.ts';

export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation('console');
  if (!error) return null;
  const problem = error instanceof ProblemError ? error : null;
  const own = problem ? t(`problem.${problem.code}`, { defaultValue: '' }) : '';
  const text = own || problem?.message || t('problem.unexpected', { defaultValue: String(error) });
  return (
    <Alert data-color="danger" role="alert">
      <Paragraph>{text}</Paragraph>
      {problem && problem.fields.length > 0 && (
        <Table data-size="sm">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('problem.where', { defaultValue: 'Where' })}</Table.HeaderCell>
              <Table.HeaderCell>{t('problem.what', { defaultValue: 'What' })}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {problem.fields.map((f) => (
              <Table.Row key={`${f.name}:${f.reason}`}>
                <Table.Cell>{f.name}</Table.Cell>
                <Table.Cell>{f.reason}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Alert>
  );
}
