// Changing one account's role and municipality. The new role applies from the person's next click.
import { Button, Heading } from '@digdir/designsystemet-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../session.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { RoleFields } from './role-fields.tsx';
import { type StaffUser, useChangeStaffRole } from './users-api.ts';

export function ChangeRole({ user, onDone }: { user: StaffUser; onDone: () => void }) {
  const { t } = useTranslation('console');
  const change = useChangeStaffRole();
  const [role, setRole] = useState<StaffRole>(user.role);
  const [municipalityCode, setMunicipalityCode] = useState(user.municipalityCode ?? '');
  const [tried, setTried] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTried(true);
    if (role === 'municipality' && !municipalityCode) return;
    change.mutate(
      { id: user.id, role, municipalityCode: role === 'municipality' ? municipalityCode : null },
      { onSuccess: onDone },
    );
  }

  return (
    <section aria-labelledby="change-role" className="console-page console-panel">
      <Heading level={2} data-size="sm" id="change-role" ref={heading} tabIndex={-1}>
        {t('users.changeRoleFor', { name: user.displayName })}
      </Heading>
      <form onSubmit={submit} className="console-form">
        <RoleFields
          role={role}
          municipalityCode={municipalityCode}
          onRole={setRole}
          onMunicipality={setMunicipalityCode}
          missingMunicipality={tried && role === 'municipality' && !municipalityCode}
        />
        <ProblemMessage error={change.error} />
        <div className="console-row">
          <Button type="submit" disabled={change.isPending} aria-busy={change.isPending}>
            {t('users.save')}
          </Button>
          <Button type="button" variant="secondary" onClick={onDone}>
            {t('users.cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}
