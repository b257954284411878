// A button whose action cannot be undone (opening a wave issues links; closing it ends fieldwork): it asks first,
// in a modal dialog that names the consequence, and runs the action only on an explicit yes.
import { Button, Dialog, Heading, Paragraph } from '@digdir/designsystemet-react';
import { type ReactNode, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export function ConfirmButton(props: {
  label: string;
  question: string;
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  variant?: 'primary' | 'secondary';
}) {
  const { t } = useTranslation('console-fieldwork');
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  return (
    <>
      <Button
        variant={props.variant ?? 'primary'}
        onClick={() => dialog.current?.showModal()}
        disabled={props.busy}
        loading={props.busy}
      >
        {props.label}
      </Button>
      <Dialog ref={dialog} aria-labelledby={headingId} closeButton={t('confirm.cancel')}>
        <Heading level={2} data-size="sm" id={headingId}>
          {props.question}
        </Heading>
        <Paragraph>{props.consequence}</Paragraph>
        <div style={{ display: 'flex', gap: 'var(--ds-size-2)', flexWrap: 'wrap' }}>
          <Button
            onClick={() => {
              dialog.current?.close();
              props.onConfirm();
            }}
          >
            {props.confirmLabel}
          </Button>
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {t('confirm.cancel')}
          </Button>
        </div>
      </Dialog>
    </>
  );
}
