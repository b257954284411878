// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function InstrumentsPage() {
  return (
    <Heading level={1} data-size="md">
      InstrumentsPage
    </Heading>
  );
}
