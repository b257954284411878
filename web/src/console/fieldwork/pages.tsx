// Placeholder until the fieldwork screens land: the console's router imports these names.
export function WavesPage() {
  return null;
}
export function NewWavePage() {
  return null;
}
export function WavePage(_: { waveId: string }) {
  return null;
}
export function MonitorPage(_: { waveId: string }) {
  return null;
}
export function DelegationsPage(_: { waveId: string }) {
  return null;
}
