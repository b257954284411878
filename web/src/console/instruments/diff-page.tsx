// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function InstrumentDiffPage(_: {
  instrumentId: string;
  from?: number | undefined;
  to?: number | undefined;
}) {
  return (
    <Heading level={1} data-size="md">
      InstrumentDiffPage
    </Heading>
  );
}
