// A labelled Designsystemet select: the label, an optional hint and error wired to the control by Field.
import { Field, Label, Select, ValidationMessage } from '@digdir/designsystemet-react';

export interface SelectFieldProps {
  label: string;
  name: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  description?: string | undefined;
  error?: string | undefined;
}

export function SelectField(p: SelectFieldProps) {
  return (
    <Field>
      <Label>{p.label}</Label>
      {p.description ? <Field.Description>{p.description}</Field.Description> : null}
      <Select
        name={p.name}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-invalid={!!p.error}
      >
        {p.options.map((o) => (
          <Select.Option key={o.value} value={o.value}>
            {o.label}
          </Select.Option>
        ))}
      </Select>
      {p.error ? <ValidationMessage>{p.error}</ValidationMessage> : null}
    </Field>
  );
}
