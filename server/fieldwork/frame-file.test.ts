// Frame files as staff really produce them: Norwegian Excel CSVs, hand-made comma/tab files and XLSX workbooks.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { toLanguage } from './frame-checks.ts';
import { parseFrameFile, readFrame } from './frame-file.ts';
import { limitBytes } from './frame-source.ts';

const participant = { unitType: 'participant' } as const;
const municipality = { unitType: 'municipality' } as const;
const csv = (text: string) => Buffer.from(text, 'utf8');

async function xlsx(rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Utvalg');
  for (const row of rows) sheet.addRow(row);
  workbook.addWorksheet('Notater').addRow(['not the frame']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('parseFrameFile: CSV', () => {
  it('reads a BOM-prefixed, semicolon-separated Excel export with quoted fields on the right lines', async () => {
    const file = csv(
      '\uFEFFexternal_id;Navn;Kommunenummer;Språk;E-post;Telefon;Adresse;Kjønn\r\n' +
        'p1;"Olsen; Bjørn ""Bear""";0301;NB;bjorn@example.no;+47 912 34 567;"Storgata 1\r\n0155 Oslo";M\r\n' +
        '\r\n' +
        'p2;Kari;030102;fa-AF;kari@example.no;91234567;Bergen;K\r\n' +
        ' p3 ;Per;4601;no;;;;\r\n',
    );
    const frame = await parseFrameFile(file, 'utvalg.csv', participant);
    expect(frame.problems).toEqual([]);
    expect(frame.format).toBe('csv');
    expect(frame.delimiter).toBe(';');
    expect(frame.rows.map((r) => r.line)).toEqual([2, 5, 6]);
    expect(frame.rows[0]).toEqual({
      line: 2,
      externalId: 'p1',
      municipalityCode: '0301',
      preferredLocale: 'nb',
      name: 'Olsen; Bjørn "Bear"',
      email: 'bjorn@example.no',
      phone: '+4791234567',
      attributes: { Adresse: 'Storgata 1\n0155 Oslo', Kjønn: 'M' },
    });
    expect(frame.rows[1]).toMatchObject({ municipalityCode: '030102', preferredLocale: 'prs' });
    expect(frame.rows[2]).toMatchObject({ externalId: 'p3', email: null, phone: null, attributes: {} });
  });

  it('reads comma- and tab-separated files', async () => {
    const comma = await parseFrameFile(
      csv('id,name,email\n1,"Hansen, Kari",kari@example.no\n'),
      'a.csv',
      participant,
    );
    expect(comma.delimiter).toBe(',');
    expect(comma.rows[0]).toMatchObject({ externalId: '1', name: 'Hansen, Kari', email: 'kari@example.no' });
    const tab = await parseFrameFile(
      csv('deltaker_id\tmobil\tlocale\n7\t912 34 567\tar\n'),
      'b.tsv',
      participant,
    );
    expect(tab.delimiter).toBe('\t');
    expect(tab.problems).toEqual([]);
    expect(tab.rows[0]).toMatchObject({ externalId: '7', phone: '91234567', preferredLocale: 'ar' });
  });

  it('accepts a one-column list of ids', async () => {
    const frame = await parseFrameFile(csv('external_id\n1\n2\n'), 'ids.csv', participant);
    expect(frame.problems).toEqual([]);
    expect(frame.rows.map((r) => r.externalId)).toEqual(['1', '2']);
  });

  it('reports a Latin-1 file as one problem', async () => {
    const frame = await parseFrameFile(
      Buffer.from('external_id;navn\n1;Bjørn\n', 'latin1'),
      'old.csv',
      participant,
    );
    expect(frame.rows).toEqual([]);
    expect(frame.problems).toEqual([{ line: 1, reason: "the file is not UTF-8: save it as 'CSV UTF-8'" }]);
  });

  it('reports a one-column header over rows that have columns', async () => {
    const frame = await parseFrameFile(csv('external_id navn\n1;Bjørn\n'), 'x.csv', participant);
    expect(frame.rows).toEqual([]);
    expect(frame.problems).toHaveLength(1);
    expect(frame.problems[0]!.reason).toMatch(/could not tell the delimiter/);
  });

  it('reports every bad row at once, with its line and column', async () => {
    const file = csv(
      [
        'external_id,kommunenr,language,email,phone,note',
        'a1,0301,nb,a@b.no,12345678,ok',
        ',0301,nb,,,',
        'a1,0301,,,,',
        'a4,9999,,,,',
        'a5,,xx,,,',
        'a6,,,not an@email,12ab,',
        'a7,0301',
        'a8,301,,,,',
      ].join('\n'),
    );
    const frame = await parseFrameFile(file, 'bad.csv', participant);
    expect(frame.rows).toHaveLength(8);
    const found = frame.problems.map(({ line, column }) => ({ line, column }));
    expect(found).toEqual([
      { line: 3, column: 'external_id' },
      { line: 4, column: 'external_id' },
      { line: 5, column: 'kommunenr' },
      { line: 6, column: 'language' },
      { line: 7, column: 'email' },
      { line: 7, column: 'phone' },
      { line: 8, column: undefined },
      { line: 9, column: 'kommunenr' },
    ]);
    const reasons = frame.problems.map((p) => p.reason);
    expect(reasons[1]).toMatch(/already on line 2/);
    expect(reasons[3]).toMatch(/unknown language 'xx'/);
    expect(frame.rows.find((r) => r.externalId === 'a1')).toMatchObject({ preferredLocale: 'nb' });
    expect(reasons[6]).toBe('the row has 2 fields but the header has 6');
    expect(reasons[7]).toMatch(/leading zero.*'0301'/);
  });

  it('names a missing required column, and duplicate headers, on line 1', async () => {
    const missing = await parseFrameFile(csv('navn;epost\nKari;kari@example.no\n'), 'x.csv', participant);
    expect(missing.rows).toEqual([]);
    expect(missing.problems).toEqual([
      { line: 1, column: 'external_id', reason: expect.stringMatching(/required column 'external_id'/) },
    ]);
    const twice = await parseFrameFile(csv('id;Email;e-post\n1;a@b.no;a@b.no\n'), 'x.csv', participant);
    expect(twice.problems).toEqual([{ line: 1, column: 'e-post', reason: expect.stringMatching(/'Email'/) }]);
  });

  it('reports values under an empty header, and a header without rows', async () => {
    const headerless = await parseFrameFile(csv('id;;note\n1;;a\n2;x;b\n'), 'x.csv', participant);
    expect(headerless.rows[1]!.attributes).toEqual({ note: 'b' });
    expect(headerless.problems).toEqual([
      { line: 3, column: 'column 2', reason: 'a value in a column without a header' },
    ]);
    const noRows = await parseFrameFile(csv('id;navn\n\n'), 'x.csv', participant);
    expect(noRows.problems).toEqual([{ line: 1, reason: 'the file has a header but no rows' }]);
  });

  it('reports an unclosed quote instead of throwing', async () => {
    const frame = await parseFrameFile(csv('id;navn\n1;Kari\n2;"Per\n3;Ola\n'), 'x.csv', participant);
    expect(frame.rows.map((r) => r.externalId)).toEqual(['1']);
    expect(frame.problems).toEqual([{ line: 3, reason: expect.stringMatching(/never closed/) }]);
  });

  it('reports an empty file', async () => {
    const frame = await parseFrameFile(Buffer.alloc(0), 'x.csv', participant);
    expect(frame.problems).toEqual([{ line: 1, reason: 'the file is empty' }]);
  });
  it('quotes a bad cell cut short, so a file of huge cells does not come back as a huge error', async () => {
    const huge = `${'x'.repeat(200_000)}@`;
    const frame = await parseFrameFile(csv(`external_id;email\np1;${huge}\n`), 'f.csv', participant);
    expect(frame.problems).toHaveLength(1);
    expect(frame.problems[0]!.reason.length).toBeLessThan(140);
    expect(frame.problems[0]!.reason).toContain('(200001 characters)');
  });
});

describe('parseFrameFile: municipality frames', () => {
  it("uses the code as external id and the chief executive's name and e-mail as the contact", async () => {
    const file = csv(
      'Kommunenummer;Kommunenavn;Fylke;Kommunedirektør;E-post;Telefon;Innbyggere\n' +
        '0301;Oslo;Oslo;Ola Nordmann;ola@oslo.kommune.no;21 80 21 80;717710\n' +
        '030101;Gamle Oslo;Oslo;Kari Nordmann;kari@bga.oslo.kommune.no;;\n' +
        '0301;Oslo;Oslo;;;;\n',
    );
    const frame = await parseFrameFile(file, 'kommuner.csv', municipality);
    expect(frame.rows[0]).toEqual({
      line: 2,
      externalId: '0301',
      municipalityCode: '0301',
      preferredLocale: null,
      name: 'Ola Nordmann',
      email: 'ola@oslo.kommune.no',
      phone: '21802180',
      attributes: { municipality_name: 'Oslo', county: 'Oslo', Innbyggere: '717710' },
    });
    expect(frame.rows[1]).toMatchObject({ externalId: '030101', name: 'Kari Nordmann' });
    expect(frame.problems).toEqual([
      { line: 4, column: 'Kommunenummer', reason: expect.stringMatching(/already on line 2/) },
    ]);
  });

  it('requires the municipality code column', async () => {
    const frame = await parseFrameFile(csv('rådmann;email\nOla;ola@x.no\n'), 'k.csv', municipality);
    expect(frame.problems).toEqual([
      { line: 1, column: 'municipality_code', reason: expect.stringMatching(/municipality_code/) },
    ]);
  });
});

describe('parseFrameFile: XLSX', () => {
  it('restores leading zeros of numeric codes and keeps extra columns as attributes', async () => {
    const file = await xlsx([
      ['ID', 'Kommunenummer', 'E-post', 'Utdanning'],
      [1001, 301, { text: 'kari@example.no', hyperlink: 'mailto:kari@example.no' }, 'Høyere'],
      [],
      [1002, 30101, null, 'Grunnskole'],
      [1003, '4601', 'ola@example.no', null, 'stray'],
    ]);
    const frame = await parseFrameFile(file, 'utvalg.xlsx', participant);
    expect(frame.format).toBe('xlsx');
    expect(frame.rows.map((r) => [r.line, r.externalId, r.municipalityCode])).toEqual([
      [2, '1001', '0301'],
      [4, '1002', '030101'],
      [5, '1003', '4601'],
    ]);
    expect(frame.rows[0]).toMatchObject({ email: 'kari@example.no', attributes: { Utdanning: 'Høyere' } });
    expect(frame.problems).toEqual([
      { line: 5, column: 'E', reason: 'a value in a column without a header' },
    ]);
  });

  it('reports a broken workbook instead of throwing', async () => {
    const frame = await parseFrameFile(
      Buffer.from('PK\x03\x04 not really a zip', 'latin1'),
      'x.xlsx',
      participant,
    );
    expect(frame.format).toBe('xlsx');
    expect(frame.problems).toEqual([{ line: 1, reason: "could not read 'x.xlsx' as an Excel workbook" }]);
  });
});

describe('readFrame: streaming', () => {
  /** The file cut into pieces of `size` bytes, as a socket or a file stream may deliver it. */
  const pieces = (data: Buffer, size: number) =>
    Readable.from(
      Array.from({ length: Math.ceil(data.length / size) }, (_, i) =>
        data.subarray(i * size, (i + 1) * size),
      ),
    );

  it('reads the same rows whatever the chunk boundaries (\\r\\n and multi-byte letters cut in two)', async () => {
    const file = csv('\uFEFFid;navn;språk\r\n1;Bjørn;nb\r\n2;"Åse\r\nÅsen";ar\r\n3;ትግርኛ;ti\r\n');
    const whole = await parseFrameFile(file, 'x.csv', participant);
    for (const size of [1, 2, 3, 7]) {
      const reading = await readFrame(pieces(file, size), 'x.csv', participant);
      const rows = [];
      for await (const item of reading.items) {
        expect(item.problems).toEqual([]);
        if (item.row) rows.push(item.row);
      }
      expect(reading.delimiter).toBe(';');
      expect(rows).toEqual(whole.rows);
    }
    expect(whole.rows.map((r) => [r.line, r.name])).toEqual([
      [2, 'Bjørn'],
      [3, 'Åse\nÅsen'],
      [5, 'ትግርኛ'],
    ]);
  });

  it('reports a file that stops being UTF-8 half-way at the chunk where it does', async () => {
    const good = Buffer.from(`id;navn\n${Array.from({ length: 2000 }, (_, i) => `${i};Kari`).join('\n')}\n`);
    const file = Buffer.concat([good, Buffer.from('9999;Bjørn\n', 'latin1')]);
    const reading = await readFrame(pieces(file, 4096), 'x.csv', participant);
    const problems = [];
    for await (const item of reading.items) problems.push(...item.problems);
    expect(problems.at(-1)).toMatchObject({ reason: "the file is not UTF-8: save it as 'CSV UTF-8'" });
    expect(problems.at(-1)!.line).toBeGreaterThan(1500);
  });

  it('leaves duplicate ids to the caller, who sees every row', async () => {
    const reading = await readFrame(Readable.from([csv('id\n1\n1\n')]), 'x.csv', participant);
    const items = [];
    for await (const item of reading.items) items.push(item);
    expect(items.map((i) => [i.row?.externalId, i.problems.length])).toEqual([
      ['1', 0],
      ['1', 0],
    ]);
    expect(reading.idColumn()).toBe('id');
  });
});

describe('limitBytes', () => {
  it('passes chunks up to the limit and refuses the one that goes past it, before it is read on', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        pulled++;
        yield Buffer.alloc(100);
      }
    }
    const passed: number[] = [];
    const err = await (async () => {
      for await (const c of limitBytes(source(), 250, () => new Error('too large')))
        passed.push(c.byteLength);
    })().catch((e) => e);
    expect(err.message).toBe('too large');
    expect(passed).toEqual([100, 100]);
    expect(pulled).toBe(3);
  });
});

describe('toLanguage', () => {
  it("gives Svar's code for its languages, and keeps other real languages for the import's fallback", () => {
    expect(['NB', 'nb-NO', 'no', 'nob', 'fa-AF', 'prs', 'tir', 'en_GB'].map(toLanguage)).toEqual([
      'nb',
      'nb',
      'nb',
      'nb',
      'prs',
      'prs',
      'ti',
      'en',
    ]);
    expect(['uk', 'RU', 'uk-UA', 'sr-Latn', 'lt'].map(toLanguage)).toEqual(['uk', 'ru', 'uk', 'sr', 'lt']);
  });

  it('refuses malformed codes and codes of no language', () => {
    expect(['xx', 'zz', 'q', 'not a language', '12', 'und', ''].map(toLanguage)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
