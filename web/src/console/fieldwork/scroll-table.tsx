// A wide table on a narrow screen scrolls sideways inside its own region, which a keyboard can reach and a screen
// reader can name (axe: scrollable-region-focusable), instead of widening the whole page.
import { Table } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';

export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }}>
      <Table data-size="sm" zebra>
        {children}
      </Table>
    </section>
  );
}
