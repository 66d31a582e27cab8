/**
 * The numbers part of the full coaching panel: the week's scorecard against target and team median,
 * the funnel with the diagnosed step and the diagnosis in plain words, the 8-week trend of a few key
 * counts, and praise suggestions. Read-only, apart from "Use as praise" which fills the note form.
 */
import {
  Alert,
  Button,
  Flex,
  Heading,
  LineChart,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { Diagnosis, FullPanel, MetricName, PraiseSuggestion, StepAssessment } from '@pillars/contracts';
import {
  DASH,
  TREND_WORDS,
  formatLocalDate,
  formatMetricValue,
  formatPercent,
  metricLabel,
  stepLabel,
} from './coaching-format';

export function ScorecardView({ panel, locale }: { panel: FullPanel; locale: string }) {
  if (panel.scorecard.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId="coaching-scorecard">
      <Heading testId="coaching-scorecard-heading">{`This week (from ${formatLocalDate(panel.weekStart, locale)})`}</Heading>
      <Table bordered density="condensed" testId="coaching-scorecard-table">
        <TableHead>
          <TableRow>
            <TableHeader>Metric</TableHeader>
            <TableHeader align="right">This week</TableHeader>
            <TableHeader align="right">Target</TableHeader>
            <TableHeader align="right">Team median</TableHeader>
            <TableHeader>Trend</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {panel.scorecard.map((row) => {
            const id = `scorecard-${row.metric}`;
            const below = row.target !== null && row.value !== null && row.value < row.target;
            return (
              <TableRow key={row.metric} testId={id}>
                <TableCell testId={`${id}-metric`}>{metricLabel(row.metric)}</TableCell>
                <TableCell testId={`${id}-value`} align="right">
                  {formatMetricValue(row.metric, row.value, locale)}
                </TableCell>
                <TableCell testId={`${id}-target`} align="right">
                  {row.target === null ? DASH : formatMetricValue(row.metric, row.target, locale)}
                  {below ? (
                    <Tag variant="warning" inline testId={`${id}-below`}>
                      Below
                    </Tag>
                  ) : null}
                </TableCell>
                <TableCell testId={`${id}-median`} align="right">
                  {formatMetricValue(row.metric, row.teamMedian, locale)}
                </TableCell>
                <TableCell testId={`${id}-trend`}>{TREND_WORDS[row.direction] ?? DASH}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Flex>
  );
}

const DIAGNOSIS_ALERT = {
  gap: { variant: 'warning', title: 'Diagnosis: one step holds the funnel back' },
  'no-clear-gap': { variant: 'success', title: 'Diagnosis: no clear gap' },
  'not-enough-data': { variant: 'info', title: 'Diagnosis: not enough data yet' },
} as const;

function rateText(step: StepAssessment, locale: string): string {
  const { rep } = step;
  if (rep.rate === null) return `${DASH} (0 of 0)`;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return `${formatPercent(rep.rate, locale)} (${number.format(rep.numerator)} of ${number.format(rep.denominator)})`;
}

function gapText(step: StepAssessment, locale: string): string {
  if (step.relativeGap === null) return DASH;
  const signed = new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 0,
    signDisplay: 'exceptZero',
  });
  return signed.format(step.relativeGap);
}

export function FunnelView({ diagnosis, locale }: { diagnosis: Diagnosis; locale: string }) {
  const alert = DIAGNOSIS_ALERT[diagnosis.status] ?? DIAGNOSIS_ALERT['not-enough-data'];
  const diagnosed = diagnosis.status === 'gap' ? diagnosis.weakestStep : null;
  return (
    <Flex direction="column" gap="xs" testId="coaching-funnel">
      <Heading testId="coaching-funnel-heading">{`Funnel over the last ${diagnosis.weeks.length} weeks`}</Heading>
      <Alert testId="coaching-diagnosis" title={alert.title} variant={alert.variant}>
        <Text testId="coaching-diagnosis-summary">{diagnosis.summary}</Text>
      </Alert>
      {diagnosis.steps.length > 0 ? (
        <Table bordered density="condensed" testId="coaching-funnel-table">
          <TableHead>
            <TableRow>
              <TableHeader>Step</TableHeader>
              <TableHeader align="right">Rep</TableHeader>
              <TableHeader align="right">Team median</TableHeader>
              <TableHeader align="right">Gap</TableHeader>
              <TableHeader>Weeks below</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {diagnosis.steps.map((step) => {
              const id = `funnel-${step.step}`;
              return (
                <TableRow key={step.step} testId={id}>
                  <TableCell testId={`${id}-label`}>
                    {stepLabel(step.step)}
                    {step.step === diagnosed ? (
                      <StatusTag variant="danger" testId={`${id}-diagnosed`}>
                        Diagnosed gap
                      </StatusTag>
                    ) : null}
                  </TableCell>
                  <TableCell testId={`${id}-rep`} align="right">
                    {rateText(step, locale)}
                  </TableCell>
                  <TableCell testId={`${id}-median`} align="right">
                    {step.teamMedian === null ? DASH : formatPercent(step.teamMedian, locale)}
                  </TableCell>
                  <TableCell testId={`${id}-gap`} align="right">
                    {gapText(step, locale)}
                  </TableCell>
                  <TableCell testId={`${id}-weeks`}>
                    {step.weeksJudged === 0 ? DASH : `${step.weeksBelow} of ${step.weeksJudged}`}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      ) : null}
    </Flex>
  );
}

/** Counts that tell the activity story; the chart shows the first few the backend sends. */
const KEY_TREND_METRICS: readonly MetricName[] = [
  'dials',
  'connects',
  'meetingsBooked',
  'meetingsHeld',
  'dealsCreated',
  'dealsWon',
];
const MAX_TREND_LINES = 4;

// A type, not an interface: the chart wants rows with an index signature.
export type TrendRow = {
  week: string;
  metric: string;
  value: number;
};

/** The chart's rows: one per week and key metric, weeks oldest first; weeks without a value left out. */
export function trendRows(trend: FullPanel['trend'], locale: string): TrendRow[] {
  const chosen = KEY_TREND_METRICS.map((metric) => trend.series.find((s) => s.metric === metric))
    .filter((s) => s !== undefined)
    .slice(0, MAX_TREND_LINES);
  const rows: TrendRow[] = [];
  trend.weeks.forEach((week, i) => {
    for (const series of chosen) {
      const value = series.values[i];
      if (typeof value === 'number') {
        rows.push({
          week: formatLocalDate(week, locale, 'short'),
          metric: metricLabel(series.metric),
          value,
        });
      }
    }
  });
  return rows;
}

export function TrendView({ trend, locale }: { trend: FullPanel['trend']; locale: string }) {
  const rows = trendRows(trend, locale);
  return (
    <Flex direction="column" gap="xs" testId="coaching-trend">
      <Heading testId="coaching-trend-heading">{`Last ${trend.weeks.length} weeks`}</Heading>
      {rows.length === 0 ? (
        <Text testId="coaching-trend-empty">No weekly values to chart yet.</Text>
      ) : (
        <LineChart
          testId="coaching-trend-chart"
          data={rows}
          axes={{
            x: { field: 'week', fieldType: 'category', label: 'Week starting' },
            y: { field: 'value', fieldType: 'linear', label: 'Per week' },
            options: { groupFieldByColor: 'metric' },
          }}
          options={{ showLegend: true, showTooltips: true }}
        />
      )}
    </Flex>
  );
}

export function PraiseView({
  praise,
  onUse,
}: {
  praise: PraiseSuggestion[];
  /** Present when the viewer may write notes: fills the note form with the praise. */
  onUse?: ((suggestion: PraiseSuggestion) => void) | undefined;
}) {
  if (praise.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId="coaching-praise">
      <Heading testId="coaching-praise-heading">Worth praising</Heading>
      {praise.map((suggestion, i) => {
        const id = `praise-${i}`;
        return (
          <Tile compact key={`${suggestion.kind}-${i}`} testId={id}>
            <Flex direction="column" gap="xs" testId={`${id}-body`}>
              <Text testId={`${id}-headline`} format={{ fontWeight: 'demibold' }}>
                {suggestion.headline}
              </Text>
              <Text variant="microcopy" testId={`${id}-evidence`}>
                {suggestion.evidence}
              </Text>
              {onUse ? (
                <Flex direction="row" testId={`${id}-actions`}>
                  <Button
                    testId={`${id}-use`}
                    size="xs"
                    variant="secondary"
                    onClick={() => onUse(suggestion)}
                  >
                    Use as praise
                  </Button>
                </Flex>
              ) : null}
            </Flex>
          </Tile>
        );
      })}
    </Flex>
  );
}
