// Staff accounts (admins only): who has access with which role, and creating, disabling and re-roling accounts.
import { Button, Heading, Paragraph, Spinner, Table, Tag } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { ChangeRole } from './change-role.tsx';
import { CreateUser } from './create-user.tsx';
import { type StaffUser, useDisableStaffUser, useStaffUsers } from './users-api.ts';

export function UsersPage() {
  const { t } = useTranslation('console');
  const users = useStaffUsers();
  const [editing, setEditing] = useState<StaffUser | null>(null);
  return (
    <div className="console-page">
      <Heading level={1} data-size="md">
        {t('users.title')}
      </Heading>
      <Paragraph>{t('users.intro')}</Paragraph>
      {users.isPending && <Spinner aria-label={t('shell.loading')} />}
      <ProblemMessage error={users.error} />
      {users.data && <UsersTable users={users.data} onEdit={setEditing} />}
      {editing && <ChangeRole key={editing.id} user={editing} onDone={() => setEditing(null)} />}
      <CreateUser />
    </div>
  );
}

function UsersTable({ users, onEdit }: { users: StaffUser[]; onEdit: (u: StaffUser) => void }) {
  const { t } = useTranslation('console');
  const me = useSession().data?.user.id;
  const disable = useDisableStaffUser();
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <>
      <div className="console-scroll">
        <Table zebra data-size="sm">
          <caption className="ds-sr-only">{t('users.title')}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('users.name')}</Table.HeaderCell>
              <Table.HeaderCell>{t('users.email')}</Table.HeaderCell>
              <Table.HeaderCell>{t('users.role')}</Table.HeaderCell>
              <Table.HeaderCell>{t('users.status')}</Table.HeaderCell>
              <Table.HeaderCell>{t('users.actions')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {users.map((u) => (
              <Table.Row key={u.id}>
                <Table.HeaderCell scope="row">{u.displayName}</Table.HeaderCell>
                <Table.Cell>{u.email}</Table.Cell>
                <Table.Cell>
                  {t(`role.${u.role}`)}
                  {u.municipalityCode ? ` (${u.municipalityCode})` : ''}
                </Table.Cell>
                <Table.Cell>
                  <Tag data-color={u.disabled ? 'neutral' : 'success'}>
                    {u.disabled ? t('users.disabled') : t('users.active')}
                  </Tag>
                </Table.Cell>
                <Table.Cell>
                  <div className="console-row">
                    <Button type="button" variant="secondary" data-size="sm" onClick={() => onEdit(u)}>
                      {t('users.changeRole')}
                      <Whose name={u.displayName} />
                    </Button>
                    {!u.disabled && u.id !== me && (
                      <Button
                        type="button"
                        variant={confirming === u.id ? 'primary' : 'tertiary'}
                        data-color="danger"
                        data-size="sm"
                        onClick={() => {
                          if (confirming !== u.id) return setConfirming(u.id);
                          disable.mutate(u.id, { onSettled: () => setConfirming(null) });
                        }}
                      >
                        {confirming === u.id ? t('users.disableConfirm') : t('users.disable')}
                        <Whose name={u.displayName} />
                      </Button>
                    )}
                  </div>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      <ProblemMessage error={disable.error} />
    </>
  );
}

/** Which account a row's button acts on, for screen readers (the row gives sighted users the same). */
function Whose({ name }: { name: string }) {
  return <span className="ds-sr-only"> ({name})</span>;
}
