// Response rates on a map of Norway's counties or municipalities (2024 boundaries, © Kartverket, CC BY 4.0), drawn
// as SVG with d3-geo from one TopoJSON file fetched only when a map is shown (~100 kB compressed): counties are
// merged from their municipalities. The map is an image with a name; the same facts are a table beside it.
import { Details, Paragraph, Table } from '@digdir/designsystemet-react';
import { useQuery } from '@tanstack/react-query';
import { geoArea, geoPath, geoTransverseMercator } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { feature, merge } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { counties2024 } from './counties.ts';
import { useFormat } from './format.ts';
import municipalitiesUrl from './geo/kommuner-2024.json?url';
import { bandColours, fillOf, hiddenPattern, noDataColour, rateBands, type Shade } from './rate-scale.ts';
import { ScrollTable } from './scroll-table.tsx';

export interface MapArea {
  code: string;
  name: string;
  shade: Shade;
}

type Props = { code: string; name: string };
type Shape = Feature<Geometry, Props>;

/** d3-geo wants clockwise outer rings; a ring the other way round would fill the whole globe. */
function rewound(f: Shape): Shape {
  if (geoArea(f) <= 2 * Math.PI) return f;
  const g = f.geometry as Polygon | MultiPolygon;
  const flip = (rings: number[][][]) => rings.map((r) => [...r].reverse());
  const geometry =
    g.type === 'Polygon'
      ? { ...g, coordinates: flip(g.coordinates) }
      : { ...g, coordinates: g.coordinates.map(flip) };
  return { ...f, geometry };
}

async function loadShapes(level: 'county' | 'municipality'): Promise<Shape[]> {
  const r = await fetch(municipalitiesUrl);
  if (!r.ok) throw new Error(`map: HTTP ${r.status}`);
  const topo = (await r.json()) as Topology<{
    Kommuner: GeometryCollection<{ kommunenummer: string; kommunenavn: string }>;
  }>;
  const object = topo.objects.Kommuner;
  if (level === 'municipality') {
    const all = feature(topo, object) as FeatureCollection<
      Geometry,
      { kommunenummer: string; kommunenavn: string }
    >;
    return all.features.map((f) =>
      rewound({ ...f, properties: { code: f.properties.kommunenummer, name: f.properties.kommunenavn } }),
    );
  }
  return Object.entries(counties2024).map(([code, name]) =>
    rewound({
      type: 'Feature',
      properties: { code, name },
      geometry: merge(
        topo,
        object.geometries.filter((g) =>
          (g.properties as { kommunenummer?: string } | undefined)?.kommunenummer?.startsWith(code),
        ) as never,
      ),
    }),
  );
}

const width = 480;
const height = 560;

export default function ProgressMap(props: { level: 'county' | 'municipality'; areas: Map<string, Shade> }) {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const titleId = useId();
  const shapes = useQuery({
    queryKey: ['geo', props.level],
    queryFn: () => loadShapes(props.level),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const paths = useMemo(() => {
    if (!shapes.data) return [];
    const collection: FeatureCollection<Geometry, Props> = {
      type: 'FeatureCollection',
      features: shapes.data,
    };
    const projection = geoTransverseMercator().rotate([-15, -65]).fitSize([width, height], collection);
    const path = geoPath(projection);
    return shapes.data.map((s) => ({ ...s.properties, d: path(s) ?? '' }));
  }, [shapes.data]);
  if (shapes.error) return <Paragraph>{t('map.failed')}</Paragraph>;
  if (!shapes.data) return <Paragraph role="status">{t('map.loading')}</Paragraph>;
  const shadeOf = (code: string): Shade => props.areas.get(code) ?? { kind: 'none' };
  const describe = (s: Shade) =>
    s.kind === 'rate' ? f.percent(s.rate) : s.kind === 'hidden' ? t('progress.tooFew') : t('map.noData');
  const title = t(`map.title.${props.level}`);
  return (
    <figure className="fieldwork-map">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} data-testid="progress-map">
        <title id={titleId}>{title}</title>
        <defs>
          <pattern
            id={hiddenPattern}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" fill={noDataColour} />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#555" strokeWidth="2" />
          </pattern>
        </defs>
        {paths.map((p) => (
          <path
            key={p.code}
            d={p.d}
            fill={fillOf(shadeOf(p.code))}
            stroke="#fff"
            strokeWidth={0.4}
            data-code={p.code}
          >
            <title>{`${p.name}: ${describe(shadeOf(p.code))}`}</title>
          </path>
        ))}
      </svg>
      <figcaption>
        <Legend />
        <Paragraph data-size="xs">© Kartverket, CC BY 4.0</Paragraph>
      </figcaption>
      <Details>
        <Details.Summary>{t('map.asTable')}</Details.Summary>
        <Details.Content>
          <ScrollTable label={title}>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t(`map.area.${props.level}`)}</Table.HeaderCell>
                <Table.HeaderCell>{t('progress.responseRate')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {paths.map((p) => (
                <Table.Row key={p.code}>
                  <Table.Cell>{`${p.name} (${p.code})`}</Table.Cell>
                  <Table.Cell>{describe(shadeOf(p.code))}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </ScrollTable>
        </Details.Content>
      </Details>
    </figure>
  );
}

function Legend() {
  const { t } = useTranslation('console-fieldwork');
  const f = useFormat();
  const swatch = (fill: string) => (
    <svg width="16" height="16" aria-hidden="true">
      <rect width="16" height="16" fill={fill} stroke="#666" />
    </svg>
  );
  return (
    <ul className="fieldwork-legend" aria-label={t('map.legend')}>
      {rateBands.map((edge, i) => (
        <li key={edge}>
          {swatch(bandColours[i]!)}
          {i < rateBands.length - 1
            ? t('map.band', { from: f.percent(edge), to: f.percent(rateBands[i + 1]!) })
            : t('map.bandTop', { from: f.percent(edge) })}
        </li>
      ))}
      <li>
        {swatch(`url(#${hiddenPattern})`)}
        {t('progress.tooFew')}
      </li>
      <li>
        {swatch(noDataColour)}
        {t('map.noData')}
      </li>
    </ul>
  );
}
