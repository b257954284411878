// Norway's 15 counties of 2024 by code, named as the progress report names them (server/reference's list, NAV's
// short names), so a county row of the report finds its shape on the map: a county is the union of its
// municipalities, whose codes begin with the county's two digits.
export const counties2024: Record<string, string> = {
  '03': 'Oslo',
  '11': 'Rogaland',
  '15': 'Møre og Romsdal',
  '18': 'Nordland',
  '31': 'Østfold',
  '32': 'Akershus',
  '33': 'Buskerud',
  '34': 'Innlandet',
  '39': 'Vestfold',
  '40': 'Telemark',
  '42': 'Agder',
  '46': 'Vestland',
  '50': 'Trøndelag',
  '55': 'Troms',
  '56': 'Finnmark',
};
