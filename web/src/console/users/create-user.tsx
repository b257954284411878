// Creating a staff account: e-mail, name, role (and municipality), and a first password to hand over in person.
import { Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../session.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { RoleFields } from './role-fields.tsx';
import { useCreateStaffUser } from './users-api.ts';

export function CreateUser() {
  const { t } = useTranslation('console');
  const create = useCreateStaffUser();
  const [role, setRole] = useState<StaffRole>('analyst');
  const [municipalityCode, setMunicipalityCode] = useState('');
  const [tried, setTried] = useState(false);
  const missing = tried && role === 'municipality' && !municipalityCode;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTried(true);
    if (role === 'municipality' && !municipalityCode) return;
    const form = e.currentTarget;
    const f = new FormData(form);
    const password = String(f.get('password') ?? '');
    create.mutate(
      {
        email: String(f.get('email') ?? '').trim(),
        displayName: String(f.get('displayName') ?? '').trim(),
        role,
        municipalityCode: role === 'municipality' ? municipalityCode : null,
        password: password || null,
      },
      {
        onSuccess: () => {
          form.reset();
          setTried(false);
          setRole('analyst');
          setMunicipalityCode('');
        },
      },
    );
  }

  return (
    <section aria-labelledby="create-user" className="console-page">
      <Heading level={2} data-size="sm" id="create-user">
        {t('users.create')}
      </Heading>
      <form onSubmit={submit} className="console-form">
        <Textfield label={t('users.email')} name="email" type="email" autoComplete="off" required />
        <Textfield label={t('users.name')} name="displayName" autoComplete="off" required />
        <RoleFields
          role={role}
          municipalityCode={municipalityCode}
          onRole={setRole}
          onMunicipality={setMunicipalityCode}
          missingMunicipality={missing}
        />
        <Textfield
          label={t('users.password')}
          description={t('users.passwordHelp')}
          name="password"
          type="password"
          autoComplete="new-password"
        />
        <ProblemMessage error={create.error} />
        <div aria-live="polite">
          {create.isSuccess && <Paragraph>{t('users.created', { email: create.data.user.email })}</Paragraph>}
        </div>
        <Button type="submit" disabled={create.isPending} aria-busy={create.isPending}>
          {t('users.createSubmit')}
        </Button>
      </form>
    </section>
  );
}
