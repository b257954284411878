// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function PreviewPage(_: { instrumentId: string; version: number; lng?: string | undefined }) {
  return (
    <Heading level={1} data-size="md">
      PreviewPage
    </Heading>
  );
}
