// Role and municipality as one pair of fields: the municipality is asked for only when the role needs it.
import { Textfield } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../session.ts';
import { SelectField } from '../ui/select-field.tsx';
import { staffRoles } from './users-api.ts';

export function RoleFields(p: {
  role: StaffRole;
  municipalityCode: string;
  onRole: (r: StaffRole) => void;
  onMunicipality: (code: string) => void;
  missingMunicipality: boolean;
}) {
  const { t } = useTranslation('console');
  return (
    <>
      <SelectField
        label={t('users.role')}
        name="role"
        value={p.role}
        onChange={(v) => p.onRole(v as StaffRole)}
        options={staffRoles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        description={t(`users.roleHelp.${p.role}`)}
      />
      {p.role === 'municipality' && (
        <Textfield
          label={t('users.municipality')}
          description={t('users.municipalityHelp')}
          name="municipalityCode"
          inputMode="numeric"
          autoComplete="off"
          value={p.municipalityCode}
          onChange={(e) => p.onMunicipality(e.target.value.trim())}
          error={p.missingMunicipality ? t('users.municipalityMissing') : undefined}
        />
      )}
    </>
  );
}
