// The fieldwork screens the console's router wires (web/src/console/router.tsx): waves, one wave, its monitor and,
// for the municipal survey, its delegations.
import './fieldwork.css';

export { DelegationsPage } from './delegations-page.tsx';
export { MonitorPage } from './monitor-page.tsx';
export { NewWavePage } from './new-wave-page.tsx';
export { WavePage } from './wave-page.tsx';
export { WavesPage } from './waves-page.tsx';
