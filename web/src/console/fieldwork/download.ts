// Saving a distribution list: it holds live links (and contact fields) and exists nowhere else, so it is offered
// as a file the moment it has arrived.
export function saveBlob(file: Blob, fileName: string): void {
  const url = URL.createObjectURL(file);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
