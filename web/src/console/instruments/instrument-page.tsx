// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function InstrumentPage(_: { instrumentId: string }) {
  return (
    <Heading level={1} data-size="md">
      InstrumentPage
    </Heading>
  );
}
