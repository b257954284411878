// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function FactsheetPage(_: { waveId: string; municipality: string }) {
  return (
    <Heading level={1} data-size="md">
      FactsheetPage
    </Heading>
  );
}
