// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function MunicipalityHome() {
  return (
    <Heading level={1} data-size="md">
      MunicipalityHome
    </Heading>
  );
}
