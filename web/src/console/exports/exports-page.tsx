// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function ExportsPage() {
  return (
    <Heading level={1} data-size="md">
      ExportsPage
    </Heading>
  );
}
