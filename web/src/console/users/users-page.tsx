// Placeholder while the screen is built.
import { Heading } from '@digdir/designsystemet-react';

export function UsersPage() {
  return (
    <Heading level={1} data-size="md">
      UsersPage
    </Heading>
  );
}
