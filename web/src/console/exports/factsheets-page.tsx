// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function FactsheetsPage() {
  return (
    <Heading level={1} data-size="md">
      FactsheetsPage
    </Heading>
  );
}
